/*
 * gen_records — deterministic synthetic input for `verdict check`.
 *
 *   gen_records application N  > app.csv
 *   gen_records preparatory N  > prep.csv
 *   gen_records evaluation  N  > eval.csv
 *   gen_records --seed S application N   (another, equally fixed, stream)
 *
 * Writes the contract's English header (contract section 5) and N records.
 * The pseudo-random stream is splitmix64 from a fixed seed, consumed
 * strictly record by record, so the same decision, N and seed give
 * byte-identical output on every machine, and the first K records of a
 * longer file are the K records of a shorter one.  No rand(), no time, no
 * locale, no floating-point formatting (money is printed from integers).
 *
 * The mix is meant to look like a real intake year, not like the fixtures:
 * mostly enterprise `create` requests, some non-enterprise ones, some
 * `prepare`; dates 2022-2026, mostly YYYY-MM-DD but also 2024/3/15,
 * 2024.3.15 and 2024年3月15日; enum and boolean cells in the spellings
 * people type (tokens in any case, Chinese labels, 是/否, Y/N, 1/0); counts
 * drawn around the rule thresholds so that every verdict occurs; about 5%
 * of the cells blanked at random (spread over every column but the id,
 * unevenly over rows: most forms are complete, some are sloppy); a few
 * organisation names quoted because they contain a comma (or a quote);
 * about 0.2% of records with a cell that cannot be read (INVALID).
 * An application record is about 230 bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64 (Steele, Lea, Flood 2014)                          */

static uint64_t rng_state;

static uint64_t next64(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* uniform in [0, n) (n > 0); the tiny modulo bias does not matter here */
static unsigned below(unsigned n) { return (unsigned)(next64() % n); }

/* uniform in [lo, hi] */
static int between(int lo, int hi) { return lo + (int)below((unsigned)(hi - lo + 1)); }

/* true with probability permille / 1000 */
static int chance(unsigned permille) { return below(1000) < permille; }

#define PICK(arr) ((arr)[below(sizeof(arr) / sizeof((arr)[0]))])

/* ------------------------------------------------------------------ */
/* output: one record is assembled in a line buffer, then written      */

static char line[4096];
static size_t len;
static int ncell;                 /* cells written in this record */
static unsigned blank_permille;   /* this record's blanking rate */

static void put_raw(const char *s, size_t n)
{
	if (len + n >= sizeof(line)) { fputs("gen_records: record too long\n", stderr); exit(2); }
	memcpy(line + len, s, n);
	len += n;
}

static void sep(void) { if (ncell++) put_raw(",", 1); }

/* a cell that is never blanked at random */
static void cell_keep(const char *s)
{
	sep();
	put_raw(s, strlen(s));
}

/* a cell that is blanked with this record's rate */
static void cell(const char *s)
{
	sep();
	if (!chance(blank_permille)) put_raw(s, strlen(s));
}

/* a cell that may hold a comma, a quote or a newline: RFC 4180 quoting */
static void cell_quoted(const char *s)
{
	sep();
	if (chance(blank_permille)) return;
	if (!strpbrk(s, ",\"\r\n")) { put_raw(s, strlen(s)); return; }
	put_raw("\"", 1);
	for (; *s; s++) {
		if (*s == '"') put_raw("\"", 1);
		put_raw(s, 1);
	}
	put_raw("\"", 1);
}

static void cell_int(long v)
{
	char b[32];
	snprintf(b, sizeof(b), "%ld", v);
	cell(b);
}

static void end_record(void)
{
	put_raw("\n", 1);
	fwrite(line, 1, len, stdout);
	len = 0;
	ncell = 0;
}

/* Most records are complete; some are sloppy.  Mean rate: 0.62 * 0.5% +
 * 0.26 * 5% + 0.12 * 30% = 5.2% of the blankable cells. */
static void begin_record(void)
{
	unsigned r = below(100);
	blank_permille = r < 62 ? 5 : r < 88 ? 50 : 300;
	len = 0;
	ncell = 0;
}

/* ------------------------------------------------------------------ */
/* dates: days since 1970-01-01 <-> civil (Howard Hinnant's algorithm) */

static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* a date in one of the accepted forms: mostly ISO */
static void fmt_date(char *b, size_t n, long day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	unsigned r = below(100);
	if (r < 88)      snprintf(b, n, "%04d-%02d-%02d", y, m, d);
	else if (r < 94) snprintf(b, n, "%d/%d/%d", y, m, d);
	else if (r < 97) snprintf(b, n, "%d.%d.%d", y, m, d);
	else             snprintf(b, n, "%d年%d月%d日", y, m, d);
}

static void cell_date(long day)
{
	char b[40];
	fmt_date(b, sizeof(b), day);
	cell(b);
}

/* ------------------------------------------------------------------ */
/* vocabulary                                                          */

static const char *const industry_tok[12] = {
	"integrated_circuits", "biomedicine", "artificial_intelligence",
	"electronic_information", "life_health", "automotive",
	"high_end_equipment", "advanced_materials", "fashion_consumer_goods",
	"producer_services", "digital_economy", "green_low_carbon",
};
static const char *const industry_zh[12] = {
	"集成电路", "生物医药", "人工智能", "电子信息", "生命健康", "汽车",
	"高端装备", "先进材料", "时尚消费品", "生产性服务业", "数字经济", "绿色低碳",
};
/* two subfields per industry, also used in the organisation's name */
static const char *const subfield[12][2] = {
	{ "芯片设计", "装备材料" },       { "生物制品", "创新化学药" },
	{ "智能芯片", "计算机视觉" },     { "新型显示", "智能传感器" },
	{ "数字医疗", "高端医疗器械" },   { "智能网联汽车", "氢燃料电池" },
	{ "航空航天", "船舶海工" },       { "前沿新材料", "高温超导" },
	{ "时尚服饰", "智能轻工" },       { "检验检测", "工业设计" },
	{ "工业互联网", "工业软件" },     { "节能环保装备", "新型储能" },
};
/* industries outside the 附件 list (D1 FALSE) */
static const char *const other_industry[] = { "未来产业", "文化创意", "现代农业", "quantum" };

static const char *const place[] = {
	"上海", "上海", "上海", "上海", "上海", "上海", "上海", "上海",
	"上海", "上海", "上海", "上海", "上海临港", "上海张江", "长三角(上海)",
	"上海嘉定",
};
static const char *const ent_suffix[] = {
	"创新中心股份有限公司", "创新中心股份有限公司", "创新中心股份有限公司",
	"创新中心有限公司", "创新中心有限公司", "制造业创新中心有限公司",
};
static const char *const ne_suffix[] = {
	"创新研究会", "创新促进会", "产业创新联合会", "协同创新研究院",
};
static const char *const branch[] = {
	"临港分中心", "张江分中心", "浦东", "一期", "筹备组",
};

/* names containing a comma or a quote, to be quoted (about 1 in 200) */
static void org_name(char *b, size_t n, int ind, int sub, int enterprise)
{
	const char *p = PICK(place);
	const char *sfx = enterprise ? PICK(ent_suffix) : PICK(ne_suffix);
	unsigned r = below(1000);
	if (r < 4)
		snprintf(b, n, "%s%s%s,%s", p, subfield[ind][sub], sfx, PICK(branch));
	else if (r < 5)
		snprintf(b, n, "%s%s创新中心(\"%s\")%s", p, industry_zh[ind], subfield[ind][sub],
		         enterprise ? "股份有限公司" : "研究会");
	else
		snprintf(b, n, "%s%s%s", p, subfield[ind][sub], sfx);
}

/* booleans: the spellings people type */
static const char *yes_word(void)
{
	unsigned r = below(100);
	return r < 50 ? "是" : r < 75 ? "Y" : r < 85 ? "yes" : r < 96 ? "1" : "TRUE";
}
static const char *no_word(void)
{
	unsigned r = below(100);
	return r < 50 ? "否" : r < 75 ? "N" : r < 85 ? "no" : r < 96 ? "0" : "FALSE";
}
/* yes with probability permille / 1000 */
static void cell_bool(unsigned permille)
{
	int v = chance(permille);
	cell(v ? yes_word() : no_word());
}

/* an enum cell: mostly the token, sometimes its label or another case */
static void cell_enum(const char *tok, const char *zh, const char *upper)
{
	unsigned r = below(100);
	cell(r < 85 ? tok : r < 97 ? zh : upper);
}

/* a count: at the threshold or above most of the time, below sometimes */
static void cell_count(int lo, int hi, unsigned below_permille, int below_value)
{
	cell_int(chance(below_permille) ? below_value : between(lo, hi));
}

/* ------------------------------------------------------------------ */
/* application (contract 5.1)                                           */

static void header_application(void)
{
	fputs("applicant_id,name,org_form,request,application_date,"
	      "registered_in_shanghai,registration_date,legal_form,"
	      "operating_model,industry,subfield,top_ranked_members,"
	      "backbone_members,chain_members,capital_linked,"
	      "founding_universities,founding_institutes,alliance_enterprises,"
	      "alliance_users,alliance_universities,alliance_institutes,"
	      "alliance_platforms,rd_spend_wan,years_in_field,has_facilities,"
	      "key_projects_done,core_technologies,commercialization_cases,"
	      "has_rd_platform,high_end_talent,has_expert_committee,"
	      "committee_chair_leading_expert,has_ip_mechanism,"
	      "has_sharing_platform,has_tech_roadmap,significant_advantage,"
	      "prep_plan_compliant,expert_review,site_visit\n", stdout);
}

static void record_application(long i)
{
	char b[256];
	begin_record();

	int ent = !chance(180);            /* 82% enterprise */
	int prep = chance(120);            /* 12% prepare */
	int ind = (int)below(12);
	int sub = (int)below(2);

	/* application dates: 2022-07-01 .. 2026-01-31, so about 5% fall
	 * outside the plan (2022-08-10 .. 2025-12-31) */
	long d0 = days_from_civil(2022, 7, 1), d1 = days_from_civil(2026, 1, 31);
	long app = d0 + (long)below((unsigned)(d1 - d0 + 1));
	int y, m, d;
	civil_from_days(app, &y, &m, &d);

	snprintf(b, sizeof(b), "SQ-%04d-%06ld", y, i + 1);
	cell_keep(b);                                       /* applicant_id */
	org_name(b, sizeof(b), ind, sub, ent);
	cell_quoted(b);                                     /* name */
	if (ent) cell_enum("enterprise", "企业法人型", "Enterprise");
	else     cell_enum("non_enterprise", "非企业法人型", "NON_ENTERPRISE");
	if (prep) cell_enum("prepare", "筹建", "Prepare");
	else      cell_enum("create", "创建", "CREATE");

	/* one record in 500 has a cell that cannot be read */
	int bad = chance(2) ? (int)below(3) + 1 : 0;
	if (bad == 1) cell("2023-02-29");                  /* no such day */
	else cell_date(app);                                /* application_date */
	cell_bool(ent ? 985 : 990);                         /* registered_in_shanghai */

	/* registration: enterprises are new (E1: within 36 months before);
	 * non-enterprise bodies are older; a few register after applying */
	long reg;
	if (ent) reg = app - between(20, 1150);
	else     reg = app - between(300, 4000);
	if (chance(5)) reg = app + between(1, 60);
	cell_date(reg);                                     /* registration_date */

	if (ent) {
		if (chance(975)) cell_enum("joint_stock", "股份有限公司", "Joint_Stock");
		else             cell_enum("limited_liability", "有限责任公司", "LIMITED_LIABILITY");
		if (chance(985)) cell_enum("company_alliance", "公司+联盟", "Company_Alliance");
		else             cell_enum("other", "其他", "OTHER");
	} else {
		unsigned r = below(100);
		if (r < 88)      cell_enum("social_organization", "社会团体", "Social_Organization");
		else if (r < 99) cell_enum("private_non_enterprise", "民办非企业单位", "PRIVATE_NON_ENTERPRISE");
		else             cell_enum("other", "其他", "Other");
		if (chance(985)) cell_enum("nonprofit_alliance", "非企业法人+联盟", "Nonprofit_Alliance");
		else             cell_enum("company_alliance", "公司+联盟", "company_alliance");
	}

	if (chance(15)) cell(PICK(other_industry));         /* industry */
	else if (chance(550)) cell(industry_tok[ind]);
	else cell(industry_zh[ind]);
	if (chance(350)) cell("");                          /* subfield (optional) */
	else cell(subfield[ind][sub]);

	/* members: E2 / N2 thresholds are 2 top-ranked, 1 backbone, 1 chain */
	cell_count(2, 5, 35, 1);                            /* top_ranked_members */
	cell_count(1, 8, 15, 0);                            /* backbone_members */
	cell_count(1, 12, 15, 0);                           /* chain_members */
	if (ent) cell_bool(980); else cell("");             /* capital_linked */
	if (bad == 2) cell("约3");                          /* not an integer */
	else if (ent) cell_int(between(0, 4));              /* founding_universities */
	else cell_count(1, 4, 20, 0);
	if (ent) cell_int(between(0, 3));                   /* founding_institutes */
	else cell_count(1, 3, 20, 0);

	/* alliance (E3 / N3): each at least 1 */
	cell_count(12, 80, 5, 0);                          /* alliance_enterprises */
	cell_count(3, 20, 12, 0);                           /* alliance_users */
	cell_count(1, 9, 12, 0);                            /* alliance_universities */
	cell_count(1, 8, 12, 0);                            /* alliance_institutes */
	cell_count(1, 5, 18, 0);                            /* alliance_platforms */

	/* S1: rd_spend > 0, years >= 5, facilities, key projects, core tech */
	if (chance(8)) cell("0");
	else if (bad == 3) cell("1.2万");                  /* not a number */
	else {
		long v = between(300, 30000);
		if (chance(100)) snprintf(b, sizeof(b), "%ld.%d", v, between(1, 9));
		else snprintf(b, sizeof(b), "%ld", v);
		cell(b);                                    /* rd_spend_wan */
	}
	cell_count(5, 25, 25, between(2, 4));               /* years_in_field */
	cell_bool(988);                                     /* has_facilities */
	cell_count(1, 6, 15, 0);                            /* key_projects_done */
	cell_count(1, 4, 15, 0);                            /* core_technologies */
	cell_count(1, 12, 15, 0);                           /* commercialization_cases */
	cell_bool(988);                                     /* has_rd_platform */
	cell_count(3, 40, 10, 0);                           /* high_end_talent */
	cell_bool(985);                                     /* has_expert_committee */
	cell_bool(985);                                     /* committee_chair_leading_expert */
	cell_bool(990);                                     /* has_ip_mechanism */
	cell_bool(990);                                     /* has_sharing_platform */
	cell_bool(988);                                     /* has_tech_roadmap */

	/* prepare-only columns: filled on prepare forms, mostly left empty on
	 * create forms */
	if (prep || chance(150)) { cell_bool(850); cell_bool(900); }
	else { cell(""); cell(""); }

	/* selection steps (create): pending, passed or failed */
	if (prep) { cell(""); cell(""); }
	else {
		unsigned r = below(100);
		if (r < 35) { cell(""); cell(""); }                       /* both pending */
		else if (r < 40) { cell_enum("failed", "未通过", "Failed"); cell(""); }
		else {
			cell_enum("passed", "通过", "Passed");
			unsigned s = below(100);
			if (s < 25) cell("");
			else if (s < 30) cell_enum("failed", "未通过", "FAILED");
			else cell_enum("passed", "通过", "PASSED");
		}
	}
	end_record();
}

/* ------------------------------------------------------------------ */
/* preparatory (contract 5.2)                                           */

static const char *const ext_reason[] = {
	"关键设备进口受限,中试线建设延后", "联盟成员单位增资审批未完成",
	"国家级创新平台认定结果尚未公布", "核心团队引进进度滞后",
	"中试基地选址调整",
};
static const char *const prep_topic[] = {
	"量子计算", "智能机器人", "细胞与基因治疗", "低空飞行器", "新型储能",
	"合成生物", "脑机接口", "第三代半导体", "柔性电子", "光子芯片",
	"6G通信", "商业航天", "氢能装备", "先进核能", "数字孪生", "固态电池",
};

static void header_preparatory(void)
{
	fputs("center_id,name,prep_start_date,extension_requested,"
	      "extension_reason,meets_requirements,requirements_met_date,"
	      "check_date\n", stdout);
}

static void record_preparatory(long i)
{
	char b[256];
	begin_record();
	long s0 = days_from_civil(2023, 3, 1), s1 = days_from_civil(2025, 6, 30);
	long start = s0 + (long)below((unsigned)(s1 - s0 + 1));

	snprintf(b, sizeof(b), "CJ-%07ld", i + 1);
	cell_keep(b);
	if (chance(5)) snprintf(b, sizeof(b), "%s%s创新中心(筹),%s", PICK(place), PICK(prep_topic), PICK(branch));
	else snprintf(b, sizeof(b), "%s%s创新中心(筹)", PICK(place), PICK(prep_topic));
	cell_quoted(b);
	if (chance(2)) cell("2023-02-29"); else cell_date(start);

	int ext = chance(450);
	cell(ext ? yes_word() : no_word());
	if (ext && chance(850)) cell_quoted(PICK(ext_reason)); else cell("");
	int met = chance(400);
	cell(met ? yes_word() : no_word());
	if (met && chance(700)) cell_date(start + between(120, 600)); else cell("");
	/* the check date: empty (use --as-of) or 1..20 months after the start */
	if (chance(200)) cell("");
	else cell_date(start + between(30, 600));
	end_record();
}

/* ------------------------------------------------------------------ */
/* evaluation (contract 5.3)                                            */

static void header_evaluation(void)
{
	fputs("center_id,name,org_form,evaluation_type,period_end,"
	      "report_submitted,key_tech_outputs,invention_patents,"
	      "tech_transfers,industrialization_revenue_wan,standards,"
	      "talent_total,leading_talent,collaborative_projects,member_units,"
	      "smes_served,tech_service_revenue_wan,international_projects,"
	      "self_funding_ratio,modern_management\n", stdout);
}

/* a count around target * scale: 0 .. 1.6 * target */
static void cell_around(int target, int scale)
{
	int t = target * scale;
	cell_int(between(0, t + t * 6 / 10 + 1));
}

static void record_evaluation(long i)
{
	char b[256];
	begin_record();
	int ent = !chance(250);
	int three = chance(250);
	int ind = (int)below(12), sub = (int)below(2);
	int k = three ? 3 : 1;

	snprintf(b, sizeof(b), "PG-%07ld", i + 1);
	cell_keep(b);
	org_name(b, sizeof(b), ind, sub, ent);
	cell_quoted(b);
	if (ent) cell_enum("enterprise", "企业法人型", "Enterprise");
	else     cell_enum("non_enterprise", "非企业法人型", "NON_ENTERPRISE");
	if (three) cell_enum("three_year", "三年考核", "Three_Year");
	else       cell_enum("annual", "年度评估", "Annual");
	int y = between(2023, 2025);
	cell_date(days_from_civil(y, 12, 31));
	if (chance(2)) cell("可能"); else cell_bool(960);   /* report_submitted */
	cell_around(3, k);                                   /* key_tech_outputs */
	cell_around(10, k);                                  /* invention_patents */
	cell_around(5, k);                                   /* tech_transfers */
	cell_around(2000, k);                                /* industrialization_revenue_wan */
	if (ent) cell_around(2, k); else cell("");           /* standards */
	cell_around(50, k);                                  /* talent_total */
	cell_around(3, k);                                   /* leading_talent */
	cell_around(5, k);                                   /* collaborative_projects */
	cell_around(30, 1);                                  /* member_units */
	cell_around(50, k);                                  /* smes_served */
	cell_around(500, k);                                 /* tech_service_revenue_wan */
	cell_around(2, k);                                   /* international_projects */
	if (ent) {
		snprintf(b, sizeof(b), "0.%02d", between(0, 90));
		cell(b);                                     /* self_funding_ratio */
		cell_bool(700);                              /* modern_management */
	} else { cell(""); cell(""); }
	end_record();
}

/* ------------------------------------------------------------------ */

static int usage(void)
{
	fputs("usage: gen_records [--seed S] application|preparatory|evaluation N\n"
	      "Writes N synthetic records with the contract's English header to\n"
	      "standard output.  Same arguments, same bytes.\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t seed = 0x7665726469637401ULL;   /* "verdict\1" */
	int a = 1;
	if (a + 1 < argc && strcmp(argv[a], "--seed") == 0) {
		char *end;
		seed = strtoull(argv[a + 1], &end, 0);
		if (*end) return usage();
		a += 2;
	}
	if (argc - a != 2) return usage();
	const char *what = argv[a];
	char *end;
	long n = strtol(argv[a + 1], &end, 10);
	if (*end || n < 0) return usage();

	void (*header)(void);
	void (*record)(long);
	if (strcmp(what, "application") == 0) { header = header_application; record = record_application; }
	else if (strcmp(what, "preparatory") == 0) { header = header_preparatory; record = record_preparatory; }
	else if (strcmp(what, "evaluation") == 0) { header = header_evaluation; record = record_evaluation; }
	else return usage();

	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	rng_state = seed;
	header();
	for (long i = 0; i < n; i++) record(i);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen_records: write");
		return 1;
	}
	return 0;
}

#!/usr/bin/env python3
"""oracle.py — an independent reading of the contract, to work out the
expected verdicts of the fixtures without the engine.

    python3 tools/oracle.py application fixtures/applications.csv
    python3 tools/oracle.py preparatory fixtures/preparatory.csv
    python3 tools/oracle.py evaluation  fixtures/evaluations.csv
    python3 tools/oracle.py application fixtures/applications-gb18030.csv \
            --encoding gb18030

writes `row,id,verdict,score,grade,failed,missing` (the columns of
fixtures/expected/*.csv) to stdout.  Plain python3, no packages.

This implements ../shared/spec/contract.md sections 2-5 DIRECTLY (the
column types, Kleene logic, the rule table of 5.1, the deadlines of 5.2, the
score of 5.3 and the month arithmetic of 5.5).  It does not read the Lua rule
files: the only numbers it shares with them are the parameter defaults and
the evaluation targets and weights, copied below from rules/params.lua and
rules/evaluation.lua (the contract leaves those to the rule set).

Where the contract could be read two ways and a fixture row would depend on
the reading, the oracle stops with "AMBIGUOUS" instead of guessing, so the
fixtures keep clear of such rows (see docs/policy-map.md, "Readings").
"""
import argparse
import calendar
import csv
import datetime as dt
import io
import re
import sys
from fractions import Fraction

# --------------------------------------------------------------------------
# Parameters (rules/params.lua, rules/evaluation.lua)
# --------------------------------------------------------------------------
PLAN_START = dt.date(2022, 8, 10)
PLAN_END = dt.date(2025, 12, 31)
MIN_TOP_RANKED = 2
REG_WINDOW_MONTHS = 36
MIN_YEARS_IN_FIELD = 5
MIN_CORE_TECH = 1
PREP_MONTHS = 12
EXT_MONTHS = 6
INDUSTRIES = [
    ("integrated_circuits", "集成电路"), ("biomedicine", "生物医药"),
    ("artificial_intelligence", "人工智能"), ("electronic_information", "电子信息"),
    ("life_health", "生命健康"), ("automotive", "汽车"),
    ("high_end_equipment", "高端装备"), ("advanced_materials", "先进材料"),
    ("fashion_consumer_goods", "时尚消费品"), ("producer_services", "生产性服务业"),
    ("digital_economy", "数字经济"), ("green_low_carbon", "绿色低碳"),
]
TARGETS = {
    "key_tech_outputs": 3, "invention_patents": 10, "tech_transfers": 5,
    "industrialization_revenue_wan": 2000, "smes_served": 50,
    "talent_total": 50, "leading_talent": 3, "collaborative_projects": 5,
    "member_units": 30, "international_projects": 2, "standards": 2,
    "self_funding_ratio": Fraction(1, 2), "tech_service_revenue_wan": 500,
}
CRITERIA = [
    ("C1", ["key_tech_outputs", "invention_patents"]),
    ("C2", ["tech_transfers", "industrialization_revenue_wan"]),
    ("C3", ["smes_served"]),
    ("C4", ["talent_total", "leading_talent"]),
    ("C5", ["collaborative_projects", "member_units"]),
    ("C6", ["international_projects"]),
    ("C7", ["standards"]),
    ("C8", ["modern_management"]),
    ("C9", ["self_funding_ratio"]),
    ("C10", ["tech_service_revenue_wan"]),
]
WEIGHTS = {
    "enterprise": {"C1": 10, "C2": 10, "C3": 5, "C4": 5, "C5": 5, "C6": 5,
                   "C7": 20, "C8": 20, "C9": 20, "C10": 0},
    "non_enterprise": {"C1": 3, "C2": 3, "C3": 10, "C4": 4, "C5": 10,
                       "C6": 10, "C7": 0, "C8": 0, "C9": 0, "C10": 60},
}
SCALE = {"annual": 1, "three_year": 3}
GRADES = [("EXCELLENT", 85), ("GOOD", 70), ("QUALIFIED", 60), ("UNQUALIFIED", 0)]

# --------------------------------------------------------------------------
# Columns (contract 5.1-5.3): name, alias, type, flags
# --------------------------------------------------------------------------
E_FORM = ("enum", [("enterprise", "企业法人型"), ("non_enterprise", "非企业法人型")])
PASSFAIL = ("enum", [("passed", "通过"), ("failed", "未通过")])
COLUMNS = {
    "application": [
        ("applicant_id", "申报编号", ("string",), "required"),
        ("name", "单位名称", ("string",), "optional"),
        ("org_form", "组织形式", E_FORM, ""),
        ("request", "申报类型", ("enum", [("create", "创建"), ("prepare", "筹建")]), ""),
        ("application_date", "申报日期", ("date",), ""),
        ("registered_in_shanghai", "本市注册", ("bool",), ""),
        ("registration_date", "注册日期", ("date",), ""),
        ("legal_form", "法人类型", ("enum", [
            ("joint_stock", "股份有限公司"), ("limited_liability", "有限责任公司"),
            ("social_organization", "社会团体"),
            ("private_non_enterprise", "民办非企业单位"), ("other", "其他")]), ""),
        ("operating_model", "运行模式", ("enum", [
            ("company_alliance", "公司+联盟"), ("nonprofit_alliance", "非企业法人+联盟"),
            ("other", "其他")]), ""),
        ("industry", "重点产业领域", ("string",), ""),
        ("subfield", "细分领域", ("string",), "optional"),
        ("top_ranked_members", "行业排名前列成员数", ("count",), ""),
        ("backbone_members", "骨干企业数", ("count",), ""),
        ("chain_members", "上下游单位数", ("count",), ""),
        ("capital_linked", "资本纽带", ("bool",), ""),
        ("founding_universities", "发起高校数", ("count",), ""),
        ("founding_institutes", "发起科研院所数", ("count",), ""),
        ("alliance_enterprises", "联盟企业数", ("count",), ""),
        ("alliance_users", "联盟用户单位数", ("count",), ""),
        ("alliance_universities", "联盟高校数", ("count",), ""),
        ("alliance_institutes", "联盟科研院所数", ("count",), ""),
        ("alliance_platforms", "联盟创新平台数", ("count",), ""),
        ("rd_spend_wan", "研发投入(万元)", ("money",), ""),
        ("years_in_field", "领域从业年限", ("count",), ""),
        ("has_facilities", "具备科研设施", ("bool",), ""),
        ("key_projects_done", "完成重点项目数", ("count",), ""),
        ("core_technologies", "核心技术数", ("count",), ""),
        ("commercialization_cases", "成果转化案例数", ("count",), ""),
        ("has_rd_platform", "具备研发平台", ("bool",), ""),
        ("high_end_talent", "高端人才数", ("count",), ""),
        ("has_expert_committee", "技术专家委员会", ("bool",), ""),
        ("committee_chair_leading_expert", "主任为领军专家", ("bool",), ""),
        ("has_ip_mechanism", "知识产权机制", ("bool",), ""),
        ("has_sharing_platform", "开放共享平台", ("bool",), ""),
        ("has_tech_roadmap", "技术路线图", ("bool",), ""),
        ("significant_advantage", "显著领先优势", ("bool",), ""),
        ("prep_plan_compliant", "筹建方案符合要求", ("bool",), ""),
        ("expert_review", "专家评审", PASSFAIL, ""),
        ("site_visit", "现场考察", PASSFAIL, ""),
    ],
    "preparatory": [
        ("center_id", "编号", ("string",), "required"),
        ("name", "名称", ("string",), "optional"),
        ("prep_start_date", "筹建开始日期", ("date",), ""),
        ("extension_requested", "申请延期", ("bool",), ""),
        ("extension_reason", "延期理由", ("string",), ""),
        ("meets_requirements", "达到创建要求", ("bool",), ""),
        ("requirements_met_date", "达标日期", ("date",), "optional"),
        ("check_date", "核查日期", ("date",), "optional"),
    ],
    "evaluation": [
        ("center_id", "编号", ("string",), "required"),
        ("name", "名称", ("string",), "optional"),
        ("org_form", "组织形式", E_FORM, ""),
        ("evaluation_type", "考核类型", ("enum", [("annual", "年度评估"),
                                               ("three_year", "三年考核")]), ""),
        ("period_end", "考核期末", ("date",), ""),
        ("report_submitted", "提交运行发展报告", ("bool",), ""),
        ("key_tech_outputs", "关键共性技术成果数", ("count",), ""),
        ("invention_patents", "发明专利授权数", ("count",), ""),
        ("tech_transfers", "成果转移转化项数", ("count",), ""),
        ("industrialization_revenue_wan", "产业化收入(万元)", ("money",), ""),
        ("standards", "主导或参与制定标准数", ("count",), ""),
        ("talent_total", "人才队伍人数", ("count",), ""),
        ("leading_talent", "领军人才数", ("count",), ""),
        ("collaborative_projects", "协同创新项目数", ("count",), ""),
        ("member_units", "联盟成员单位数", ("count",), ""),
        ("smes_served", "服务中小企业数", ("count",), ""),
        ("tech_service_revenue_wan", "技术服务收入(万元)", ("money",), ""),
        ("international_projects", "国际合作项目数", ("count",), ""),
        ("self_funding_ratio", "自我造血比例", ("ratio",), ""),
        ("modern_management", "现代企业管理制度", ("bool",), ""),
    ],
}


class Ambiguous(Exception):
    pass


class Unreadable(Exception):
    pass


# --------------------------------------------------------------------------
# Section 2: reading cells
# --------------------------------------------------------------------------
SPACES = " \t\r\n\u00a0\u3000"
DATE_RES = [re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
            re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
            re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
            re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")]
BOOLS = {"true": True, "false": False, "yes": True, "no": False, "y": True,
         "n": False, "1": True, "0": False, "是": True, "否": False}


def parse_cell(text, typ):
    if typ[0] == "string":
        return text
    if typ[0] == "date":
        for rx in DATE_RES:
            m = rx.match(text)
            if m:
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    raise Unreadable
        raise Unreadable
    if typ[0] == "bool":
        v = BOOLS.get(text.lower())
        if v is None:
            raise Unreadable
        return v
    if typ[0] == "count":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise Unreadable
        v = int(text)
        if v < 0:
            raise Unreadable
        return v
    if typ[0] in ("money", "ratio", "number"):
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
            raise Unreadable
        v = Fraction(text)
        if typ[0] == "money" and v < 0:
            raise Unreadable
        if typ[0] == "ratio" and not (0 <= v <= 1):
            raise Unreadable
        return v
    if typ[0] == "enum":
        for tok, lab in typ[1]:
            if text.lower() == tok.lower() or text == lab:
                return tok
        raise Unreadable
    raise AssertionError(typ)


def read_records(path, decision, encoding):
    raw = open(path, "rb").read()
    text = raw.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip(SPACES).lower() for h in rows[0]]
    cols = COLUMNS[decision]
    index = {}
    for name, zh, typ, flags in cols:
        for i, h in enumerate(header):
            if h == name.lower() or h == zh.lower():
                index[name] = i
        if name not in index and flags != "optional":
            sys.exit("absent column " + name)
    records = []
    for cells in rows[1:]:
        rec, invalid = {}, False
        for name, zh, typ, flags in cols:
            cell = cells[index[name]] if name in index and index[name] < len(cells) else ""
            cell = cell.strip(SPACES)
            if cell == "":
                rec[name] = None
                if flags == "required":
                    invalid = True
                continue
            try:
                rec[name] = parse_cell(cell, typ)
            except Unreadable:
                invalid = True
        idcol = cols[0][0]
        rid = cells[index[idcol]].strip(SPACES) if index[idcol] < len(cells) else ""
        records.append((rid, rec if not invalid else None))
    return records


# --------------------------------------------------------------------------
# Section 5.5
# --------------------------------------------------------------------------
def add_months(d, n):
    m0 = d.year * 12 + (d.month - 1) + n
    y, m = divmod(m0, 12)
    m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


# --------------------------------------------------------------------------
# Section 3: Kleene values.  A value is (truth, columns) where truth is
# True, False or None (UNKNOWN) and columns is the set of empty columns
# that leave it UNKNOWN (empty unless truth is None).
# --------------------------------------------------------------------------
T, F = (True, frozenset()), (False, frozenset())


def U(*cols):
    return (None, frozenset(cols))


def all_of(*parts):
    if any(p[0] is False for p in parts):
        return F
    unk = [p for p in parts if p[0] is None]
    if unk:
        return (None, frozenset().union(*[p[1] for p in unk]))
    return T


def any_of(*parts):
    if any(p[0] is True for p in parts):
        return T
    unk = [p for p in parts if p[0] is None]
    if unk:
        return (None, frozenset().union(*[p[1] for p in unk]))
    return F


def cmp(rec, col, pred, *extra_cols):
    """pred over rec[col] (and other columns); UNKNOWN if any is empty."""
    cols = (col,) + extra_cols
    empty = [c for c in cols if rec[c] is None]
    if empty:
        return U(*empty)
    return T if pred(*[rec[c] for c in cols]) else F


def is_true(rec, col):
    return cmp(rec, col, lambda v: v is True)


def is_(rec, col, tok):
    return cmp(rec, col, lambda v: v == tok)


def at_least(rec, col, n):
    return cmp(rec, col, lambda v: v >= n)


# --------------------------------------------------------------------------
# 5.1 application
# --------------------------------------------------------------------------
def application(rec):
    r = rec
    ind_ok = lambda v: any(v.lower() == t.lower() or v.lower() == l.lower()
                           for t, l in INDUSTRIES)
    app_d, reg_d = r["application_date"], r["registration_date"]

    def reg_window():
        if reg_d is None or app_d is None:
            return U(*[c for c in ("registration_date", "application_date")
                       if r[c] is None])
        return T if reg_d >= add_months(app_d, -REG_WINDOW_MONTHS) else F

    bodies = {
        "W1": all_of(cmp(r, "application_date", lambda d: d >= PLAN_START),
                     cmp(r, "application_date", lambda d: d <= PLAN_END)),
        "D1": cmp(r, "industry", ind_ok),
        "E1": all_of(is_true(r, "registered_in_shanghai"),
                     is_(r, "legal_form", "joint_stock"),
                     is_(r, "operating_model", "company_alliance"),
                     reg_window(),
                     cmp(r, "registration_date", lambda a, b: a <= b,
                         "application_date")),
        "E2": all_of(is_true(r, "capital_linked"),
                     at_least(r, "backbone_members", 1),
                     at_least(r, "chain_members", 1),
                     at_least(r, "top_ranked_members", MIN_TOP_RANKED)),
        "E3": all_of(*[at_least(r, c, 1) for c in (
            "alliance_enterprises", "alliance_users", "alliance_universities",
            "alliance_institutes", "alliance_platforms")]),
        "N1": all_of(is_true(r, "registered_in_shanghai"),
                     is_(r, "legal_form", "social_organization"),
                     is_(r, "operating_model", "nonprofit_alliance")),
        "N2": all_of(at_least(r, "backbone_members", 1),
                     at_least(r, "chain_members", 1),
                     at_least(r, "founding_universities", 1),
                     at_least(r, "founding_institutes", 1),
                     at_least(r, "top_ranked_members", MIN_TOP_RANKED)),
        "S1": all_of(cmp(r, "rd_spend_wan", lambda v: v > 0),
                     at_least(r, "years_in_field", MIN_YEARS_IN_FIELD),
                     is_true(r, "has_facilities"),
                     at_least(r, "key_projects_done", 1),
                     at_least(r, "core_technologies", MIN_CORE_TECH)),
        "S2": all_of(at_least(r, "commercialization_cases", 1),
                     is_true(r, "has_rd_platform")),
        "S3": at_least(r, "high_end_talent", 1),
        "M1": all_of(is_true(r, "has_expert_committee"),
                     is_true(r, "committee_chair_leading_expert")),
        "M2": is_true(r, "has_ip_mechanism"),
        "M3": is_true(r, "has_sharing_platform"),
        "M4": is_true(r, "has_tech_roadmap"),
        "X1": is_(r, "expert_review", "passed"),
        "X2": is_(r, "site_visit", "passed"),
        "P1": all_of(is_true(r, "significant_advantage"),
                     is_true(r, "prep_plan_compliant")),
    }
    bodies["N3"] = bodies["E3"]
    # columns each body reads (for the org_form-missing case)
    reads = {
        "E1": ["registered_in_shanghai", "legal_form", "operating_model",
               "registration_date", "application_date"],
        "E2": ["capital_linked", "backbone_members", "chain_members",
               "top_ranked_members"],
        "E3": ["alliance_enterprises", "alliance_users", "alliance_universities",
               "alliance_institutes", "alliance_platforms"],
        "N1": ["registered_in_shanghai", "legal_form", "operating_model"],
        "N2": ["backbone_members", "chain_members", "founding_universities",
               "founding_institutes", "top_ranked_members"],
        "X1": ["expert_review"], "X2": ["site_visit"],
        "P1": ["significant_advantage", "prep_plan_compliant"],
    }
    reads["N3"] = reads["E3"]
    is_create = is_(r, "request", "create")
    is_prepare = is_(r, "request", "prepare")
    always = T
    applies = {"W1": always, "D1": always, "S1": always, "S2": always,
               "S3": always, "M1": always, "M2": always, "M3": always,
               "M4": always, "X1": is_create, "X2": is_create,
               "P1": is_prepare}
    for k in ("E1", "E2", "E3"):
        applies[k] = is_(r, "org_form", "enterprise")
    for k in ("N1", "N2", "N3"):
        applies[k] = is_(r, "org_form", "non_enterprise")
    decides = {k: always for k in applies}
    for k in ("E1", "E2", "E3", "N1", "N2", "N3", "S1", "S2", "S3",
              "M1", "M2", "M3", "M4"):
        decides[k] = is_create
    order = ["W1", "D1", "E1", "E2", "E3", "N1", "N2", "N3", "S1", "S2",
             "S3", "M1", "M2", "M3", "M4", "X1", "X2", "P1"]

    result = {}
    for k in order:
        a = applies[k]
        if a[0] is False:
            result[k] = "NA"
        elif a[0] is None:
            # "If applies is UNKNOWN the rule is UNKNOWN".  Whether the
            # body's own empty columns are then listed is a reading: keep
            # fixtures clear of it.
            body_empty = [c for c in reads.get(k, []) if r[c] is None]
            if body_empty:
                raise Ambiguous("%s: applies unknown and body reads empty %s"
                                % (k, body_empty))
            result[k] = U(*a[1])
        else:
            result[k] = bodies[k]
    failed = [k for k in order if result[k] != "NA" and result[k][0] is False]
    missing = set()
    for k in order:
        if result[k] != "NA" and result[k][0] is None:
            missing |= result[k][1]

    def decides_and(k, want):
        res = result[k]
        if res == "NA":
            return F
        hit = T if res[0] is want else F
        return all_of(decides[k], hit)

    verdict = None
    if result["W1"][0] is False:
        verdict = "OUT_OF_WINDOW"
    if verdict is None:
        c = any_of(*[decides_and(k, False) for k in order])
        if c[0] is True:
            verdict = "REJECTED"
        elif c[0] is None:
            verdict, missing = "INCOMPLETE", missing | c[1]
    if verdict is None:
        c = any_of(*[decides_and(k, None) for k in order if k not in ("X1", "X2")])
        if c[0] is not False:
            verdict, missing = "INCOMPLETE", missing | c[1]
    if verdict is None:
        # every deciding rule but X1/X2 is TRUE, so request is known
        if r["request"] == "create":
            ok = result["X1"][0] is True and result["X2"][0] is True
            verdict = "SELECTED" if ok else "ELIGIBLE"
        else:
            verdict = "PREP_ELIGIBLE"
    return verdict, "", "", failed, missing


# --------------------------------------------------------------------------
# 5.2 preparatory
# --------------------------------------------------------------------------
def preparatory(rec, as_of):
    r = rec
    check_on = r["check_date"] or as_of
    start = r["prep_start_date"]
    if start is None:
        # every condition needs the start date
        return "INCOMPLETE", "", "", [], {"prep_start_date"}
    if check_on < start:
        return "INVALID", "", "", [], set()
    base = add_months(start, PREP_MONTHS)
    ext = add_months(start, PREP_MONTHS + EXT_MONTHS)
    met_on = r["requirements_met_date"] or check_on
    granted = all_of(is_true(r, "extension_requested"),
                     T if r["extension_reason"] is not None else F)
    ready = all_of(is_true(r, "meets_requirements"),
                   any_of(T if met_on <= base else F,
                          all_of(granted, T if met_on <= ext else F)))
    steps = [("READY_FOR_SELECTION", ready),
             ("IN_PREP", T if check_on <= base else F),
             ("IN_EXTENSION", all_of(granted, T if check_on <= ext else F)),
             ("REVOKED", T)]
    for token, cond in steps:
        if cond[0] is True:
            return token, "", "", [], set()
        if cond[0] is None:
            return "INCOMPLETE", "", "", [], set(cond[1])
    raise AssertionError


# --------------------------------------------------------------------------
# 5.3 evaluation
# --------------------------------------------------------------------------
def score(rec):
    """(exact total as Fraction, float total) or (None, missing set)."""
    r = rec
    if r["org_form"] is None:
        # which indicators are needed depends on the form
        empty = [i for c, inds in CRITERIA for i in inds if r[i] is None]
        if empty or r["evaluation_type"] is None:
            raise Ambiguous("org_form empty and so are %s" % empty)
        return None, {"org_form"}
    w = WEIGHTS[r["org_form"]]
    need = [c for c, inds in CRITERIA if w[c] > 0]
    miss = set()
    for c, inds in CRITERIA:
        if w[c] == 0:
            continue
        for i in inds:
            if r[i] is None:
                miss.add(i)
            if i not in ("self_funding_ratio", "modern_management") and \
                    r["evaluation_type"] is None:
                miss.add("evaluation_type")
    if miss:
        return None, miss
    exact, flt = Fraction(0), 0.0
    for c, inds in CRITERIA:
        if w[c] == 0:
            continue
        subs_e, subs_f = [], []
        for i in inds:
            v = r[i]
            if i == "modern_management":
                subs_e.append(Fraction(100 if v else 0))
                subs_f.append(100.0 if v else 0.0)
                continue
            t = TARGETS[i]
            if i != "self_funding_ratio":
                t = t * SCALE[r["evaluation_type"]]
            subs_e.append(min(Fraction(100), 100 * Fraction(v) / t))
            subs_f.append(min(100.0, 100.0 * float(v) / float(t)))
        exact += w[c] * sum(subs_e) / len(subs_e)
        flt += w[c] * (sum(subs_f) / len(subs_f))
    return (exact / 100, flt / 100), set()


def fmt1(total):
    """One decimal, refusing ties and totals whose rounding or grade
    could depend on floating point."""
    exact, flt = total
    tenths = exact * 10
    if tenths.denominator != 1 and (tenths - tenths.numerator // tenths.denominator) == Fraction(1, 2):
        raise Ambiguous("total %s is a rounding tie" % float(exact))
    q = (exact * 10 + Fraction(1, 2)).__floor__()
    s = "%d.%d" % divmod(q, 10)
    if "%.1f" % flt != s:
        raise Ambiguous("float total %r formats differently from %s" % (flt, s))
    g_exact = grade(exact)
    g_round = grade(Fraction(q, 10))
    g_float = grade(Fraction(flt))
    if len({g_exact, g_round, g_float}) != 1:
        raise Ambiguous("grade depends on rounding: %s" % float(exact))
    return s, g_exact


def grade(total):
    for g, lo in GRADES:
        if total >= lo:
            return g


def evaluation(rec):
    r = rec
    failed = ["R1"] if r["report_submitted"] is False else []
    missing = {"report_submitted"} if r["report_submitted"] is None else set()
    sc, miss = score(r)
    if r["report_submitted"] is False:
        # UNQUALIFIED whatever else is missing; the score is shown when it
        # can be computed, and the indicators that leave it unknown are
        # listed (section 4: missing "whatever the verdict").
        s = fmt1(sc)[0] if sc else ""
        return "UNQUALIFIED", s, "UNQUALIFIED", failed, missing | miss
    if r["report_submitted"] is None:
        # the first verdict condition (report_submitted false) is UNKNOWN;
        # whether the empty indicators are listed too is a reading
        if miss:
            raise Ambiguous("report_submitted empty and so are %s" % sorted(miss))
        return "INCOMPLETE", "", "", failed, missing
    if sc is None:
        return "INCOMPLETE", "", "", failed, missing | miss
    s, g = fmt1(sc)
    return g, s, g, failed, missing


# --------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("decision", choices=["application", "preparatory", "evaluation"])
    ap.add_argument("file")
    ap.add_argument("--encoding", default="utf-8")
    ap.add_argument("--as-of", default="2025-06-30")
    a = ap.parse_args()
    as_of = dt.date.fromisoformat(a.as_of)
    order = [c[0] for c in COLUMNS[a.decision]]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["row", "id", "verdict", "score", "grade", "failed", "missing"])
    for n, (rid, rec) in enumerate(read_records(a.file, a.decision, a.encoding), 1):
        try:
            if rec is None:
                res = ("INVALID", "", "", [], set())
            elif a.decision == "application":
                res = application(rec)
            elif a.decision == "evaluation":
                res = evaluation(rec)
            else:
                res = preparatory(rec, as_of)
                if rec["check_date"] is None:
                    # the verdict must not depend on the day the check runs
                    for other in (dt.date(2026, 6, 30), dt.date(2031, 1, 1),
                                  dt.date.today()):
                        if preparatory(rec, other)[0] != res[0]:
                            raise Ambiguous("verdict depends on --as-of")
        except Ambiguous as e:
            sys.exit("row %d (%s): AMBIGUOUS: %s" % (n, rid, e))
        verdict, sc, gr, failed, missing = res
        if verdict in ("INVALID", "INCOMPLETE"):
            sc, gr = "", ""
        if verdict == "INVALID":
            failed, missing = [], set()
        out.writerow([n, rid, verdict, sc, gr, ";".join(failed),
                      ";".join(c for c in order if c in missing)])


if __name__ == "__main__":
    main()

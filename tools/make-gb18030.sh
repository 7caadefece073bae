#!/bin/sh
# make-gb18030.sh — write fixtures/applications-gb18030.csv: the records of
# fixtures/applications.csv under the CHINESE column aliases (contract 5.1),
# encoded in GB18030 with CRLF line ends, as Excel on a Chinese-locale
# Windows saves "CSV (逗号分隔)".  No byte-order mark.
#
#   sh tools/make-gb18030.sh
#
# The expected verdicts are fixtures/expected/applications.csv (same
# records, same order).  Read it with:
#   verdict check --encoding gb18030 fixtures/applications-gb18030.csv
set -eu
cd "$(dirname "$0")/.."
src=fixtures/applications.csv
dst=fixtures/applications-gb18030.csv
header='申报编号,单位名称,组织形式,申报类型,申报日期,本市注册,注册日期,法人类型,运行模式,重点产业领域,细分领域,行业排名前列成员数,骨干企业数,上下游单位数,资本纽带,发起高校数,发起科研院所数,联盟企业数,联盟用户单位数,联盟高校数,联盟科研院所数,联盟创新平台数,研发投入(万元),领域从业年限,具备科研设施,完成重点项目数,核心技术数,成果转化案例数,具备研发平台,高端人才数,技术专家委员会,主任为领军专家,知识产权机制,开放共享平台,技术路线图,显著领先优势,筹建方案符合要求,专家评审,现场考察'
# applications.csv has no line break inside a quoted cell, so every LF ends
# a record and may become CRLF.
{ printf '%s\n' "$header"; tail -n +2 "$src"; } \
  | sed 's/$/\r/' \
  | iconv -f UTF-8 -t GB18030 > "$dst"

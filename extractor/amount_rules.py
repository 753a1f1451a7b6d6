"""Rule data for the money-mention extractor (:mod:`extractor.amounts`).

Everything here is data, not logic, so that a rule can be reviewed or extended without touching
the scanner. Each block says where its entries come from. "Dev corpus NNN" refers to the numbered
documents of the shared development corpus (their frozen texts are ``annotations/texts/NNN_*``);
"seed" is the hand-copied cell-per-line text of the shared seed corpus. Patterns are written for
the *parse form* (:func:`extractor.normalize.parse_form`): full-width ASCII is already folded to
half-width (，→, ：→: （→( ＝→=), em dashes and minus signs are "-", and odd spaces are " ".

No entry names a place, a department, a year or a figure of one document.
"""

from __future__ import annotations

from decimal import Decimal

# --------------------------------------------------------------------------------------------
# Money units and their factor to 元.
# Source: the units printed in every corpus document (元 in the 元-denominated tables of dev
# corpus 233/245/254/401/403, 万元 everywhere else, 亿元 in large totals). 千元 is in the issue;
# 百万元/千万元 are the rare Arabic-plus-multiplier spellings (3千万元), reported as 万元.
# --------------------------------------------------------------------------------------------
UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1_000),
    "万元": Decimal(10_000),
    "百万元": Decimal(1_000_000),
    "千万元": Decimal(10_000_000),
    "亿元": Decimal(100_000_000),
}

#: How a multiplier spelling is reported in ``Amount.unit`` (the contract's 元/万元/亿元/千元).
UNIT_REPORTED = {"百万元": "万元", "千万元": "万元"}

#: Multipliers printed before 元, longest first so 千万 wins over 万.
UNIT_PREFIXES = "亿|千万|百万|万|千"

#: Characters that make a following 元 part of another word (元旦, 元素, 元宵, 元数据, 元年).
NOT_UNIT_AFTER_YUAN = "旦素宵数年月首帅老件"

# --------------------------------------------------------------------------------------------
# Unit declarations of tables.
# Source: header lines of the corpus tables: "单位：万元" (seed; dev corpus 013, 179, 183),
# "金额单位：万元" / "金额单位： 万元" (dev corpus 108/112/122), "单位:万元" with a half-width
# colon (dev corpus 233, 401), "部门：… 单位：万元" on the table's caption line (001, 007, 192),
# "价值（金额单位：万元）" (seed asset table), and column headers "预算数（万元）",
# "总体资金情况（万元）", "项目资金\n（万元）" (024, 108, 204, 259).
# --------------------------------------------------------------------------------------------
DECLARATION = r"(?:金额|计量|货币)?单位\s*[:]\s*(?:人民币)?\s*(?P<u>亿元|万元|千元|元)(?![/\w])"
COLUMN_DECLARATION = r"\(\s*(?:(?:金额)?单位\s*:?\s*)?(?:人民币)?(?P<u>亿元|万元|千元|元)\s*\)"

# --------------------------------------------------------------------------------------------
# Table titles: past the next title a declaration only carries on at a lower confidence.
# Source: "预算01表 收支总表" (108/112/122), "公开表1" (024, 336, 341), "表 1" / "表14"
# (192, 206, 259, 262, 326), "公开 10 表" (007), and short caption lines that end in 表:
# "2026年预算单位收入预算总表" (233/245/254), "固定资产占用情况表" (seed),
# "收支预算总表" (001/007/015), "项目支出绩效目标表（含转移支付项目）" (205).
# --------------------------------------------------------------------------------------------
TITLE_NUMBERED = r"^\s*(?:(?:预算|决算|公开|附)\s*\d{1,2}\s*表|(?:公开|附)?表\s*[0-9一二三四五六七八九十]{1,3}(?![0-9]))"
TITLE_SUFFIX = r"表\s*(?:\((?:续|[^()]{0,12})\))?\s*$"
#: A caption line is short; longer lines ending in 表 are prose ("…详见下表").
TITLE_MAX_CHARS = 40

#: Titles and headers that open a performance-indicator table (indicator values are not money).
#: Source: "项目支出绩效目标表" (108/112/205), "部门整体支出绩效目标表" (204), and the indicator
#: header rows "一级指标 二级指标 三级指标 指标值" of every 绩效 table in the corpus and the seed.
PERF_TITLE_WORD = "绩效"
PERF_HEADER = r"一级指标|二级指标|三级指标|绩效指标性质|指标值"
#: Inside a performance table only a row of numbers or a row naming funds holds money:
#: "年度预算资金总额：\t15.00", "其中：财政拨款\t15.00" (024), "合计 86,246.64" (205),
#: "76.436338 76.436338" (the project amounts of 112, a line of numbers).
MONEY_LABEL = r"资金|金额|预算|总额|拨款|经费|合计|小计|总计|支出|收入"
#: …unless the label names an indicator: "项目经费保障可持续年限 1年 10" (326), "资金到位率".
INDICATOR_WORD = r"率|年限|时限|期限|满意|人数|次数|数量|时长|天数|个数"

# --------------------------------------------------------------------------------------------
# Subject codes (科目编码) that stand inside a row, before the subject's name.
# Source: the functional classification (类 201-239, 款/项 two digits more: 2010301) and the
# economic classifications (部门 301-399, 政府 501-599, five digits: 30101, 50101) printed in
# every 基本支出 and 支出总表 of the corpus ("30101 基本工资 50101 工资奖金津补贴", 401/403;
# "301\t01\t基本工资\t501\t01\t工资奖金津补贴", 024).
# --------------------------------------------------------------------------------------------
CODE_SHAPE = r"^(?:2[0-3]\d|3[01]\d|399|5[0-9]\d)(?:\d\d){0,2}$"
#: A numbered row label after a number is the next row of a two-column table, not a name:
#: "…收入 2428 二、外交支出".
ORDINAL_LABEL = r"^(?:[一二三四五六七八九十]+、|\(|\d+[、.])"

# --------------------------------------------------------------------------------------------
# Words after a number that make it a count or a measure, never money.
# Source: the list (辆 人 台 个 套 次 名 家 户 项) and the indicator units of the
# performance tables of the corpus (份 篇 条 期 场 … in 112, 205; 平方米 and 台、辆 in the seed's
# asset table; 年 月 日 for dates and durations). A number right after one of these words is a
# quantity too: procurement tables print the unit of measure, then the quantity ("批 1", 326).
# --------------------------------------------------------------------------------------------
COUNT_UNITS = (
    "辆", "人", "台", "个", "套", "次", "名", "家", "户", "项", "件", "份", "篇", "条", "期", "场",
    "批", "所", "处", "座", "张", "本", "册", "部", "块", "间", "栋", "床", "类", "种", "组", "支",
    "天", "日", "月", "年", "周", "小时", "时", "分钟", "秒", "岁", "周岁", "倍", "分", "万人",
    "公里", "千米", "米", "平方米", "平米", "亩", "公顷", "吨", "公斤", "千克", "克", "升", "立方米",
    "户次", "人次", "件次", "家次", "%", "‰", "百分比", "个百分点", "号", "页", "章", "节", "款",
    "元/人", "GB", "TB", "M", "G", "KM", "km", "起", "单", "宗", "课时", "学时", "万条", "亿条",
)

#: Count words that also head columns of money tables ("类 款 项" over the subject codes, "年"
#: and "%" in headers): a number right after one of them is not taken for a quantity.
COUNT_UNITS_ALSO_HEADERS = ("款", "项", "类", "年", "月", "日", "%")

#: Parenthesised count units in a row label: the row's first number is a quantity
#: ("1、房屋（平方米）", "2、车辆（台、辆）" in the seed's asset table).
ROW_LABEL_COUNT = r"\((?:平方米|平米|台|辆|台、辆|台\(套\)|个|人|套|件|亩|处|栋|间)[^()]{0,6}\)"

#: Comparison operators that open an indicator value (≥6, ＞=, ≤27万元).
OPERATORS = "≥≤><=≧≦"

# --------------------------------------------------------------------------------------------
# Change on last year (Amount.relation).
# Source: narrative sentences of every corpus document: "比上年减少336.39万元", "较去年预算增加
# 505万元" (seed), "与上年相比减少了1237.7 万元" (007), "比2025年预算增加21.00万元" (233),
# "其中：基本支出增加11万元" (seed). A two-character verb right before the number is enough.
# --------------------------------------------------------------------------------------------
DECREASE_VERBS = r"减少|下降|降低|压减|缩减|节约|核减"
INCREASE_VERBS = r"增加|增长|上升|提高|新增|追加"
#: One-character verbs need a comparison cue in the sentence ("至少3万元" is no change).
DECREASE_CHARS = r"减|少"
INCREASE_CHARS = r"增|多"
COMPARISON_CUE = r"上年|去年|上一年|上年度|同期|年初|\d{4}\s*年(?:度)?(?:预算|决算|执行)?|相比|相较|比较"
#: How far back (characters) a change verb and its cue are looked for.
RELATION_WINDOW = 48

# --------------------------------------------------------------------------------------------
# A stated zero: "公务接待费无", "因公出国（境）费未安排", "公务用车购置费：无".
# Source: the issue, and the 三公 narratives of the corpus (seed; 309; 401).
# --------------------------------------------------------------------------------------------
MONEY_TERMS = r"费用|经费|费|支出|收入|资金|拨款|预算"
ZERO_WORDS = r"未安排|无"

#: A bare 0 after a money term in a sentence: "公务接待费为0，", "事业收入为0；" (245, 254),
#: "公务用车购置为 0，" (001). Only a 0 that ends its clause (punctuation follows) is read, so
#: table cells (followed by spaces or tabs) and counts ("0 辆") are left to the other rules.
BARE_ZERO = (
    rf"(?<=(?:{MONEY_TERMS}|购置)(?:数|额)?[ \t]*\n?[ \t]*(?:为|均为|是|:)?[ \t]*)"
    r"(?<![\d.,])0(?=[ \t]*(?:[;。、)]|,(?!\d)))"
)
#: 无 before one of the terms of a budget disclosure states that its amount is zero:
#: "本单位无机关运行经费" (245, 254), "我单位2020年无政府采购" (seed), "无“三公”经费支出" (405,
#: 407), "本部门均无因公出国（境）经费预算" (326), "本单位无政府性基金预算支出" (259, 262).
#: Matched on the text after 无 with its whitespace removed (PDF wraps split the terms);
#: 无线, 无人机, 无偿 … name none of these terms.
ZERO_TERMS_AFTER_WU = (
    r"^(?:当年|本年|相关)?\"?(?:"
    r"机关运行经费|政府采购|三公\"?(?:经费)?|因公出国\(境\)(?:经)?费|公务用车\w{0,6}?费|公务接待费"
    r"|政府性基金|国有资本经营预算)"
)

#: Sentence ends: a bare zero takes the nearest unit printed in its sentence (else 元).
SENTENCE_ENDS = "。!?"

# --------------------------------------------------------------------------------------------
# Chinese numerals (三百万元, 一千二百万元); read with cn2an.
# --------------------------------------------------------------------------------------------
CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬点"

# --------------------------------------------------------------------------------------------
# Prose: a long stretch of narrative ends a table's unit.
# A line is prose when it holds sentence punctuation and mostly Han characters; the unit is
# dropped after PROSE_RESET_CHARS Han characters of consecutive prose lines (outside
# performance tables, whose description cells are prose too: 108/112/205).
# --------------------------------------------------------------------------------------------
PROSE_RESET_CHARS = 80
PROSE_MIN_HAN = 10

#: Lines that open a new part of the document and end any table ("第三部分 …说明").
PART_HEADING = r"^\s*第[一二三四五六七八九十]+部分"

#: Tokens before a number that make it something else than money.
#: Source: phone and fax fields, column-index rows (栏次), ordinals (第3页, 第1项).
NOT_MONEY_BEFORE = ("电话", "传真", "邮编", "联系方式", "手机", "热线", "栏次", "序号", "编号", "编码", "代码", "第")

#: Confidence of each kind of mention (rule-based; calibrated later on the annotated corpus).
CONFIDENCE = {
    "explicit": 0.95,  # number and unit side by side: 2065万元
    "explicit_space": 0.93,  # 9,146.79 万元
    "explicit_newline": 0.9,  # 9,146.79\n万元 (PDF line wrap)
    "explicit_pagebreak": 0.75,  # number and unit on two pages
    "chinese": 0.9,  # 三百万元
    "zero_word": 0.8,  # 公务接待费无
    "zero_word_before": 0.75,  # 无机关运行经费
    "zero_bare": 0.7,  # 公务接待费为0， (unit taken from the sentence)
    "explicit_spaced_digits": 0.85,  # 1 6 , 4 1 0 . 7 1万元 (PDF text spacing every character)
    "declared": 0.85,  # bare cell under "单位：万元" of the same table
    "column": 0.8,  # bare cell under a "(万元)" column header
    "carried": 0.6,  # bare cell after a new table title that declared no unit of its own
    "perf_penalty": 0.15,  # bare cell inside a performance table
    "year_like": 0.4,  # bare integer that reads like a year
}

#: Families of rules whose mentions look alike: a rule seen rarely in the mention-labelled
#: documents borrows its family's precision (mention_confidence.py). Derived rules ("declared+perf",
#: "explicit+range") belong to the family of their base rule.
RULE_FAMILIES = {
    "unit_printed": ("explicit", "explicit_space", "explicit_newline", "explicit_pagebreak", "explicit_spaced_digits", "chinese"),
    "table_cell": ("declared", "column", "carried"),  # year_like stays apart: its prior is low on purpose
    "zero_in_words": ("zero_word", "zero_word_before", "zero_bare"),
}

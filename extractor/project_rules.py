"""Rule data for projects and performance-indicator tables, with where each rule comes from.

Nothing here names a region, a department, a year or a figure: the words are those of the
national templates, and each rule was checked for false hits on every region of the corpus.

Sources:
    [MOF-2020] 财政部《项目支出绩效评价管理办法》(财预〔2020〕10号), 附件 共性指标框架: the
        一级/二级 indicator names (产出/效益/满意度 …, 数量/质量/时效/成本 …).
    [MOF-2021] 财政部《中央部门项目支出核心绩效目标和指标设置及取值指引(试行)》(财预〔2021〕101号):
        成本指标 as 一级 with 经济/社会/生态环境成本指标 as 二级, and the 指标值 forms
        (≥ ≤ = with a unit, 定性 values 优/良/中/差).
    [CORPUS] the project's disclosure corpus (dev and seed; documents named by their number in
        its manifest): table layouts as scraped. Every entry marked CORPUS was seen in at least
        two regions unless said otherwise.
"""

from __future__ import annotations

import re

# ----------------------------------------------------------------------------------------------
# Indicator vocabulary [MOF-2020, MOF-2021]
# ----------------------------------------------------------------------------------------------

#: 一级指标 names, as printed (with or without the trailing 指标).
LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标", "效果指标", "影响指标")

#: 二级指标 stems; each may be printed with or without a trailing 指标 [MOF-2020; CORPUS: the
#: short forms 经济成本/社会效益 appear in corpus documents 024, 326, 336 and 205].
LEVEL2_STEMS = (
    "数量", "质量", "时效", "成本",
    "经济成本", "社会成本", "生态环境成本", "生态成本", "环境成本",
    "经济效益", "社会效益", "生态效益", "环境效益", "可持续影响", "可持续发展",
    "服务对象满意度", "社会公众满意度", "群众满意度", "满意度",
)

#: 一级 that a 二级 belongs to, used when the merged 一级 cell is printed away from the row
#: (PDF text puts a merged label at the vertical middle of its span) [MOF-2020, MOF-2021].
LEVEL2_PARENT = {
    "数量": "产出指标", "质量": "产出指标", "时效": "产出指标",
    "经济成本": "成本指标", "社会成本": "成本指标", "生态环境成本": "成本指标",
    "生态成本": "成本指标", "环境成本": "成本指标",
    "经济效益": "效益指标", "社会效益": "效益指标", "生态效益": "效益指标",
    "环境效益": "效益指标", "可持续影响": "效益指标", "可持续发展": "效益指标",
    "服务对象满意度": "满意度指标", "社会公众满意度": "满意度指标",
    "群众满意度": "满意度指标", "满意度": "满意度指标",
}

#: Row-group labels printed left of 一级指标 that carry no level of their own
#: [CORPUS: 绩效指标 in 024/336, 绩效目标指标 in 183, 年度绩效指标 in 326 (printed one char a line)].
GROUP_LABELS = ("绩效指标", "绩效目标指标", "年度绩效指标", "年度绩效目标")


def _l2_forms() -> dict[str, str]:
    forms = {}
    for stem in LEVEL2_STEMS:
        forms[stem] = stem
        forms[stem + "指标"] = stem
    return forms


#: Every printed form of a 二级 name → its stem.
LEVEL2_FORMS = _l2_forms()

# ----------------------------------------------------------------------------------------------
# Table headers [CORPUS]
# ----------------------------------------------------------------------------------------------

#: Header cell text → column role. Order matters: longer names first.
HEADER_ROLES = (
    ("一级指标", "l1"),
    ("二级指标", "l2"),
    ("三级指标", "l3"),
    ("绩效指标描述", "desc"),
    ("指标内容", "desc"),
    ("指标说明", "desc"),
    ("指标解释", "desc"),
    ("绩效指标性质", "nature"),
    ("指标性质", "nature"),
    ("实施周期指标值", "period"),
    ("年度指标值", "value"),
    ("本年绩效指标值", "value"),
    ("绩效指标值", "value"),
    ("指标值确定依据", "basis"),
    ("指标值设定依据", "basis"),
    ("指标值", "value"),
    ("目标值", "value"),
    ("绩效度量单位", "unit"),
    ("度量单位", "unit"),
    ("计量单位", "unit"),
    ("分值权重", "weight"),
    ("权重", "weight"),
    ("分值", "weight"),
    ("符号", "op"),
)

#: Words that make a line a header line of an indicator table: 三级指标 alone, or 一级 with 二级.
HEADER_MIN = ("三级指标",)

# ----------------------------------------------------------------------------------------------
# Values [MOF-2021; CORPUS]
# ----------------------------------------------------------------------------------------------

#: Comparison operators as printed → normalised. ≦/≧ appear in DOC tables (the seed) and in
#: inline lists (205, 211); ＝＞＜ are the full-width forms of PDF tables (108, 112, 183).
OPERATORS = {
    ">=": "≥", "<=": "≤", "≥": "≥", "≤": "≤", "≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤",
    "=": "=", "＝": "=", "==": "=",
    ">": ">", "<": "<", "＞": ">", "＜": "<", "﹥": ">", "﹤": "<",
}
OP_RE = r"(?:>=|<=|==|[≥≤≧≦⩾⩽=＝><＞＜﹥﹤])"
NUM_RE = r"[-+]?\d[\d,，]*(?:\.\d+)?"

#: Comparisons written in words → operator [CORPUS: 不低于95% in 024, 不少于883名 / 小于1919万元 in 205;
#: annotated so in both]. Longest first; 不低 without 于 is a misprint seen in the corpus.
OPERATOR_WORDS = (
    ("大于等于", "≥"), ("小于等于", "≤"), ("大于或等于", "≥"), ("小于或等于", "≤"),
    ("不少于", "≥"), ("不低于", "≥"), ("不小于", "≥"), ("至少", "≥"), ("不低", "≥"),
    ("不多于", "≤"), ("不高于", "≤"), ("不超过", "≤"), ("不大于", "≤"), ("最多", "≤"),
    ("大于", ">"), ("高于", ">"), ("多于", ">"), ("超过", ">"),
    ("小于", "<"), ("低于", "<"), ("少于", "<"),
)
OP_WORD_RE = "(?:" + "|".join(w for w, _ in OPERATOR_WORDS) + ")"

#: Units recognised inside running text (a value such as 输出测试报告1份 or ≥10个不同的场景):
#: the unit is the longest of these right after the number [CORPUS, all regions].
UNITS = (
    "%", "‰", "％", "℃",
    "个工作日", "工作日", "个月", "小时", "分钟", "秒", "年", "月", "周", "天", "日",
    "万元", "亿元", "元", "万人次", "万人", "人次", "人", "万户", "户", "家次", "家",
    "万件", "件次", "件", "万份", "份", "万条", "亿条", "条", "万次", "次", "万个", "个",
    "项", "篇", "期", "场", "块", "类", "头", "册", "种", "所", "台", "套", "辆", "架", "名",
    "平方米", "立方米", "公里", "千米", "米", "吨", "本", "批", "座", "处", "部", "张", "课时",
    "学时", "分", "万", "亿", "倍", "笔", "单", "宗", "起", "GB", "TB", "M",
)

#: An item number printed before a 三级指标 name (指标1：评审次数 in xian 318): numbering, not
#: part of the name [CORPUS].
INDICATOR_NUMBER = re.compile(r"^指标\s*\d{1,2}\s*[：:]\s*")

#: A 符号/性质 cell that states no comparison: the value is text [MOF-2021].
QUALITATIVE_MARKS = ("定性", "文字描述", "文字", "描述")
QUANTITATIVE_MARKS = ("定量",)

#: Characters a unit can be made of: short, no digits, no sentence punctuation.
UNIT_RE = r"(?:[%‰℃]|[^\s\d≥≤≧≦=＝<>＜＞，。；;:：,!！?？\"“”]{1,8}?)"

# ----------------------------------------------------------------------------------------------
# Projects [CORPUS]
# ----------------------------------------------------------------------------------------------

#: Labels whose value cell is the project name (forms of 179/183, 024/336, 326, the seed).
NAME_LABELS = ("项目名称", "专项资金名称", "资金名称", "政策名称")
#: Labels whose value cell is the project code.
CODE_LABELS = ("项目编码", "项目代码", "项目编号")
#: Labels whose value is the project's money (budget, scale). Longer names first.
AMOUNT_LABELS = (
    "年度预算资金总额", "实施期资金总额", "年度资金总额", "年度预算资金", "资金总额",
    "预算数", "资金规模", "项目总额", "项目金额", "预算金额",
)

#: Unlabelled project codes. Shapes learnt from the corpus, kept generic:
#:  - digits, one capital letter, digits (11000024T000002449659 in 108/112/122: 区划+年+类别+序号);
#:  - dash-separated groups mixing digits and capitals (434-0303-YXN-8943 in the seed).
#: Both need ≥ 12 characters with letters *and* digits, which 科目编码 (2010301, digits only),
#: phone numbers (digits and dashes), 政府采购目录 codes (A02010104: 9 characters) and document
#: numbers (〔2019〕14号) never have.
CODE_SHAPES = (
    re.compile(r"\d{6,}[A-Z]\d{4,}"),
    re.compile(r"[0-9A-Z]{2,}(?:-[0-9A-Z]{2,}){2,}"),
)


def looks_like_code(token: str) -> bool:
    """True when ``token`` has the shape of a project code and not of another kind of number.

    Args:
        token: a whitespace-free candidate, as printed.

    >>> looks_like_code("11000024T000002449659"), looks_like_code("434-0303-YXN-8943")
    (True, True)
    >>> looks_like_code("2010301"), looks_like_code("0311-85201234"), looks_like_code("A02010104")
    (False, False, False)
    """
    t = token.strip().rstrip("-")
    if not any(rx.fullmatch(t) for rx in CODE_SHAPES):
        return False
    alnum = re.sub(r"[^0-9A-Z]", "", t)
    return len(alnum) >= 12 and bool(re.search(r"[A-Z]", t)) and len(re.findall(r"\d", t)) >= 6

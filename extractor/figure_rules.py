"""Rule data for the key-figure model: the words that name each figure, and the cue words.

Sources: the contract's key-figure table (shared/spec/CONTRACT.md) and the annotation guideline
(annotations/README.md, "Key figures"), which name each figure by the words disclosures print
for it (收入总计, 基本支出, 因公出国（境）费, 公务用车购置及运行（维护）费, 机关运行经费, 政府采购预算总额 …);
the variants (运维费, 购置和运行, 日常公用经费 …) are the spellings of the 财政部 templates for
部门预算/决算公开 that the corpus regions follow. No word here is specific to one document,
department, region or year.

These words are used two ways: as model features (the nearest naming word before a number, in
its row label or in its column header) and to decide, for training only, whether a mention whose
value equals the annotated value "stands in a place naming the figure".
"""

from __future__ import annotations

#: Words naming each key figure, matched in the parse form (full-width folded, quotes '"').
#: Where matches overlap, the longest wins ("公务用车购置及运行费" names the vehicle total, not
#: the 购置 part), so a general word may be listed beside a more specific one.
NAME_WORDS: dict[str, tuple[str, ...]] = {
    "income_total": ("收入总计", "收入预算总额", "收入总预算", "收入预算", "收入总额", "收支总计", "收支总预算",
                     "收入支出总计", "收入支出预算总计", "部门预算收入"),
    "expenditure_total": ("支出总计", "支出预算总额", "支出总预算", "支出预算", "支出总额"),
    "fiscal_income": ("财政拨款收入", "本年财政拨款", "财政拨款预算", "财政拨款", "一般公共预算拨款",
                      "一般公共预算收入", "财政预算拨款"),
    "basic_expenditure": ("基本支出",),
    "project_expenditure": ("项目支出",),
    "personnel_expenditure": ("人员经费", "人员支出", "工资福利支出"),
    "public_expenditure": ("公用经费", "日常公用经费", "公用支出"),
    "three_public_total": ("三公", '"三公"经费', "三公经费"),
    "three_public_overseas": ("因公出国", "出国(境)费", "出国费", "出国(境)经费"),
    "three_public_vehicle": ("公务用车购置及运行", "公务用车购置和运行", "公务用车购置及运维", "公务用车购置及维护",
                             "公务用车购置及运营", "购置及运营", "购置及运行", "购置及运维", "购置和运行", "购置及维护", "购置及运行维护", "公务用车费",
                             "车辆购置及运行"),
    "three_public_vehicle_purchase": ("购置费", "车辆购置", "公务用车购置"),
    "three_public_vehicle_operation": ("运行维护费", "运行费", "运维费", "运行维护", "公务用车运行"),
    "three_public_reception": ("公务接待",),
    "operating_costs": ("机关运行经费", "运行经费"),
    "procurement_total": ("政府采购",),
}

#: The three parts of 本年财政拨款收入 (fiscal_income), by the words of the label printed before a
#: number (一般公共预算拨款收入 19,756.66 / 二、政府性基金预算拨款 0.00 / 3.国有资本经营预算拨款收入 …):
#: the guideline's fiscal_income = 一般公共预算 + 政府性基金 + 国有资本经营 of this year.
FISCAL_PARTS: dict[str, str] = {"一般公共预算": "general", "政府性基金": "fund", "国有资本经营": "capital"}
FISCAL_PART_CUES = ("收入", "拨款")  # the label names income, not 支出
#: Or the table's title does: 财政拨款收支总体情况表 (一、一般公共预算 456,990.37), 财政拨款收入表.
FISCAL_TABLE_WORD, FISCAL_TABLE_CUES = "财政拨款", ("收入", "收支")
FISCAL_PART_REACH = 600  # characters between the 一般公共预算 part and the other two parts

#: Words after which a number is a comparison, not the current figure (比上年, 上年预算).
COMPARE_WORDS = ("比上年", "比去年", "上年", "去年", "同比", "上一年", "比20", "较20", "较上年", "年初预算", "调整预算", "相比")

#: Words that open a breakdown (其中) or name a total (合计).
BREAKDOWN_WORDS = ("其中", "包括", "主要", "分别")
TOTAL_WORDS = ("合计", "总计", "小计", "共计", "总额")

#: Printed zero statements find_amounts does not read: 没有/未安排/不安排 (and 无 before naming
#: words outside its term list) a few characters before a figure's naming word.
ZERO_BEFORE_TERM = r"(?:无|没有|未安排|不安排)"
ZERO_TERM_GAP = 8  # characters allowed between 无 and the naming word

#: A heading line: 一、 / （一） / 1. / 第一部分 / (1).
HEADING = r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))"
#: A table title: a short line without sentence punctuation that names a table.
TABLE_TITLE = r"表\s*$|^\s*(?:附表|公开表|预算|决算|部门)?\s*\d+(?:-\d+)?\s*表|表\s*\d+(?:-\d+)?\s*$|^\s*表\s*\d+"

# A template (部门决算模板) prints placeholders where the figures go: "XXX 万元", "XX 万元". With
# three or more of them the document states no figures, and its "无“三公”经费支出" lines are
# instructions, not statements of 0.
PLACEHOLDER_AMOUNT = r"[XＸ×]{2,}\s*(?:万元|亿元|元)"
PLACEHOLDERS_IN_TEMPLATE = 3

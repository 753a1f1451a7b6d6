"""Table reconstruction (extractor.tables) on short real passages of the three text forms.

Every passage is copied from a real disclosure (named in its comment) as the reader produced it;
the repo must stand alone, so nothing here reads the corpus.
"""

from extractor.normalize import parse_form
from extractor import tables as T


def _tables(text):
    return T.find_tables(text, parse_form(text))


def _rows(text):
    return [r for t in _tables(text) for r in t.rows]


# -- cell-per-line (DOC converted to text) -------------------------------------------------------

# seed/新乐市人民政府办公室_2020_budget.txt, lines 170-215 (table of project 1): each cell on its
# own tab-indented line, blank 一级指标 cells where the cell is merged, a wrapped cell (经济效益\n指标).
SEED_CELLS = "\n".join([
    "\t一级指标", "\t二级指标", "\t三级指标", "\t绩效指标描述", "\t指标值", "\t指标值确定依据", "",
    "\t产出指标", "\t数量指标", "\t专业设备购置数量（台/件/辆/套）", "\t新增购置的电子政务安全防护设备数量",
    "\t≥6", "\t个", "\t年度工作计划", "",
    "\t", "\t质量指标", "\t政府采购率（%）", "\t政府采购率=实际政府采购项目数/应实施政府采购项目数*100%",
    "\t≥100", "\t百分比", "\t年度工作计划", "",
    "\t", "\t成本指标", "\t采购总成本控制率（%）", "\t采购总成本控制率=实际采购总成本/采购总预算成本*100%",
    "\t≦100", "\t百分比", "\t年度工作计划", "",
    "\t效益指标", "\t经济效益", "指标", "\t办公资源循环利用率", "\t反映年度办公资源的循环利用程度",
    "\t≥90", "\t百分比", "\t年度工作计划", "",
])

# seed, lines 375-406 and a padding row from lines 445-453: the 8-column form whose second header
# row splits 指标值 into 符号 / 值 / 单位（文字描述）.
SEED_CELLS_8 = "\n".join([
    "\t一级指标", "\t二级指标", "\t三级指标", "\t绩效指标描述", "\t指标值", "\t指标值确定依据", "",
    "\t", "\t", "\t", "\t", "\t符号", "\t值", "\t单位（文字描述）", "\t", "",
    "\t产出指标", "\t数量指标", "\t制作宣传品数量", "\t制作宣传品数量", "\t>=", "\t60000.00", "\t份", "\t工作计划", "",
    "\t效果指标", "\t生态效益指标", "\t空气质量指标", "\t空气质量指标变化", "\t文字描述", "\t\u3000", "\t变好", "\t工作计划", "",
    "\t", "\t\u3000", "\t\u3000", "\t\u3000", "\t\u3000", "\t\u3000", "\t\u3000", "\t\u3000", "",
])


def test_cell_form_maps_columns_and_carries_merged_cells():
    rows = _rows(SEED_CELLS)
    assert [r.get("l3") for r in rows] == [
        "专业设备购置数量（台/件/辆/套）", "政府采购率（%）", "采购总成本控制率（%）", "办公资源循环利用率"]
    # 一级 cells left empty by the merge are carried down, and marked as carried.
    assert [r.get("l1") for r in rows] == ["产出指标", "产出指标", "产出指标", "效益指标"]
    assert "l1" in rows[1].inferred and "l1" not in rows[0].inferred
    # The row has one cell more than the header: 指标值 spans value and unit.
    assert (rows[0].get("value"), rows[0].get("unit"), rows[0].get("basis")) == ("≥6", "个", "年度工作计划")
    assert rows[3].get("l2") == "经济效益指标"  # cell wrapped over two lines, joined
    assert rows[0].get("desc") == "新增购置的电子政务安全防护设备数量"


def test_cell_form_eight_columns_and_padding_rows():
    tables = _tables(SEED_CELLS_8)
    assert len(tables) == 1 and tables[0].form == "cells"
    assert tables[0].roles[4:7] == ["op", "value", "unit"]
    rows = tables[0].rows
    assert len(rows) == 2  # the row of full-width spaces is padding, not a row
    assert (rows[0].get("op"), rows[0].get("value"), rows[0].get("unit")) == (">=", "60000.00", "份")
    assert (rows[1].get("op"), rows[1].get("value"), rows[1].get("unit")) == ("文字描述", None, "变好")


# -- stream (PDF text layer) -----------------------------------------------------------------------

# dev/112_beijing-医疗保障局-tables_2026_budget.pdf (annotations/texts, lines 326-376, goal text
# shortened): the project column holds a code PDF broke across two lines
# (11000022T000000444 + 016-…), the name wraps, then amounts; rows are space-separated with
# spaces inside cells; a 二级 label wraps over lines (服务对象满意度\n指标).
BEIJING = "\n".join([
    "预算12表 项目支出绩效目标表",
    "金额单位：万元",
    "项目名称 项目总额",
    "其中：",
    "绩效目标 一级指标 二级指标 三级指标 绩效指标性质 本年绩效指标值 绩效度量单位",
    "财政资金 其他资金",
    "11000022T000000444",
    "016-医疗保障公众评",
    "价",
    "76.436338 76.436338",
    "以提升北京市医保服务质量为核心 ，遵",
    "升群众在医疗保障领域的获得感。",
    "产出指标 数量指标 宣传评估报告 ＝ 1 份",
    "产出指标 数量指标 深度访谈数量：区级经办人员 ≥ 32 人",
    "产出指标 质量指标 研究结果验收合格率 ＝ 100 %",
    "成本指标 经济成本指标 医疗保障公众工作评估成本控制 ≤ 8.543338 万元",
    "满意度指标",
    "服务对象满意度",
    "指标",
    "参保人员、服务对象满意度 ≥ 90 %",
    "11000023T000002062",
    "265-医疗保障基金飞",
    "行检查保障经费",
    "129.250000 129.250000",
    "按照国家局要求完成国家飞行检查工",
    "作，严厉打击医保领域违法违规行为。",
    "效益指标 社会效益指标 工作成效 定性 优",
])


def test_stream_rows_space_separated():
    rows = _rows(BEIJING)
    assert [r.get("l3") for r in rows] == [
        "宣传评估报告", "深度访谈数量：区级经办人员", "研究结果验收合格率",
        "医疗保障公众工作评估成本控制", "参保人员、服务对象满意度", "工作成效"]
    # The value cell keeps operator, number and unit as printed; extractor.indicators splits them.
    assert [r.get("value") for r in rows[:4]] == ["＝ 1份", "≥ 32人", "＝ 100%", "≤ 8.543338万元"]
    assert (rows[4].get("l1"), rows[4].get("l2")) == ("满意度指标", "服务对象满意度指标")
    assert (rows[5].get("nature"), rows[5].get("value")) == ("定性", "优")
    # The goal text above the first row is not a row and not part of one.
    assert all("获得感" not in (r.get("l3") or "") for r in rows)


def test_code_broken_across_lines_is_joined():
    heads = [h for t in _tables(BEIJING) for h in t.heads]
    assert [(h.code, h.name, h.amount_raw) for h in heads] == [
        ("11000022T000000444016", "医疗保障公众评价", "76.436338"),
        ("11000023T000002062265", "医疗保障基金飞行检查保障经费", "129.250000"),
    ]
    assert all(h.scale == 10000.0 for h in heads)  # 金额单位：万元


def test_code_ending_its_line_with_the_dash_keeps_no_dash():
    # dev/128_beijing-宣传部-tables_2026_budget.pdf (annotations/texts, lines 13830-13838): the
    # code fills its line up to the dash, the name follows on the next lines.
    text = "\n".join(BEIJING.split("\n")[:6] + [
        "11000026T000003734804-",
        "出版物内容审读及质量检",
        "查",
        "475.440000 475.440000",
        "通过专家对各类出版物开展审读，加",
        "产出指标 数量指标 审读出版物数量 ≥ 100 种",
    ])
    heads = [h for t in _tables(text) for h in t.heads]
    assert [(h.code, h.amount_raw) for h in heads] == [("11000026T000003734804", "475.440000")]


# dev/183_fuzhou-医疗保障局_2026_budget.pdf (annotations/texts, lines 1077-1100): merged labels
# printed at the middle of their span (产出指标 inside a wrapped row), a 三级指标 wrapped over
# lines, a group label printed one word a line (绩效\n目标\n指标), and a page break after 备注.
FUZHOU = "\n".join([
    "一级指标 二级指标 三级指标 指标值",
    "成本指标 经济成本指标 人均工资标准 ≤4500 元/人月",
    "数量指标",
    "保障区县管理部运转",
    "数量 =12 个",
    "质量指标",
    "临聘人员费用发放零",
    "错差率 产出指标 =100%",
    "时效指标",
    "临聘人员费用发放及",
    "时率",
    "≥90%",
    "效益指标 社会效益指标 纠纷数 ≤5 起",
    "绩效",
    "目标",
    "指标",
    "满意度指标",
    "服务对象满意度",
    "指标",
    "服务对象满意度指标 ≥95%",
    "备注",
    "\x0c",
    "36",
    "综合工作经费项目绩效目标表",
    "项目名称 综合工作经费",
])


def test_stream_merged_labels_printed_mid_span():
    rows = _rows(FUZHOU)
    assert [(r.get("l3"), r.get("value")) for r in rows] == [
        ("人均工资标准", "≤4500元/人月"),
        ("保障区县管理部运转数量", "=12个"),
        ("临聘人员费用发放零错差率", "=100%"),
        ("临聘人员费用发放及时率", "≥90%"),
        ("纠纷数", "≤5起"),
        ("服务对象满意度指标", "≥95%"),  # a 三级指标 named like a 二级 label
    ]
    # 数量指标 is an 产出 二级 even though the 产出指标 label is printed rows later.
    assert rows[1].get("l1") == "产出指标" and "l1" in rows[1].inferred
    assert rows[2].get("l2") == "质量指标"
    assert rows[5].get("l2") == "服务对象满意度指标"


# dev/326_xian-信访局_2026_budget.pdf (annotations/texts, lines 1064-1090): a 分值权重 column
# after the value, values without operator, a list of values in one cell.
XIAN = "\n".join([
    "一级指标 二级指标 三级指标 指标值",
    "分值权重",
    "（90分）",
    "成本指标 经济成本 由两部分组成：1.机关食堂包厨费2.机关食堂伙食补助费。 ≤42.38万元；≤88.65万元 10",
    "产出指标",
    "数量指标 机关食堂就餐人数 150人次 8",
    "质量指标",
    "维护市信访接待中心保障餐厅伙食安全卫生可口，餐厅食品安全问题",
    "不得超过次数",
    "0次 20",
    "时效指标 保障餐厅伙食安全卫生可口 1年 12",
    "满意度指标",
    "服务对象满",
    "意度",
    "指标",
    "服务保障市信访接待中心内工作人员满意率 ≥90% 10",
    "\x0c",
    "表14",
    "部门专项业务经费绩效目标表",
])


def test_stream_weight_column_and_value_lists():
    tables = _tables(XIAN)
    assert len(tables) == 1 and "weight" in tables[0].roles
    rows = tables[0].rows
    assert [r.get("value") for r in rows] == ["≤42.38万元；≤88.65万元", "150人次", "0次", "1年", "≥90%"]
    assert [r.get("weight") for r in rows] == ["10", "8", "20", "12", "10"]
    assert rows[2].get("l3") == "维护市信访接待中心保障餐厅伙食安全卫生可口，餐厅食品安全问题不得超过次数"
    assert rows[1].get("l2") == "数量指标" and rows[0].get("l2") == "经济成本"


# -- HTML page (tab-separated rows) and a table continuing over a page break -------------------------

# dev/024_yantai-退役军人事务局-html_2026_budget.html (annotations/texts, lines 1298-1330): rows
# are tab-separated, merged cells are printed once per group, a running title and the page
# number stand between two parts of one table, whose header is not printed again.
YANTAI_HTML = "\n".join([
    "一级指标\t二级指标\t三级指标\t指标值",
    "绩效指标\t成本指标\t经济成本",
    "总成本\t≤140万元",
    "差旅费、印刷费、军转安置",
    "考试",
    "≤58.50万元",
    "绩效指标\t产出指标\t质量指标",
    "出差完成度\t100%",
    "培训、会议参与度\t≥90%",
    "政策和项目预算绩效目标表",
    "(2026年度)",
    "政策和项目预算绩效目标表",
    "—\t44\t—",
    "",
    "绩效指标\t产出指标\t时效指标",
    "出差及时率\t100%",
    "军转安置考试完成时间\t2026年12月前",
    "绩效指标\t效益指标\t社会效益指标",
    "退役军人满意程度\t有效提升",
])


def test_tab_rows_and_continuation_over_page_break():
    tables = _tables(YANTAI_HTML)
    assert len(tables) == 1  # one table, although the page break printed a title in between
    rows = tables[0].rows
    assert [r.get("l3") for r in rows] == [
        "总成本", "差旅费、印刷费、军转安置考试", "出差完成度", "培训、会议参与度",
        "出差及时率", "军转安置考试完成时间", "退役军人满意程度"]
    assert [r.get("value") for r in rows][-3:] == ["100%", "2026年12月前", "有效提升"]
    # 绩效指标 is a group label, not a level: 成本指标 is the 一级, 经济成本 the 二级.
    assert (rows[0].get("l1"), rows[0].get("l2")) == ("成本指标", "经济成本")
    assert (rows[4].get("l1"), rows[4].get("l2")) == ("产出指标", "时效指标")


# -- inline list form and project tables -------------------------------------------------------------

# dev/205_guangzhou-政务服务和数据管理局_2026_budget-perf.pdf (annotations/texts, lines 1-33):
# indicators written as a numbered list in one cell, wrapped freely, next to a project column
# whose subtotal row (the 资金使用单位) is not a project.
GUANGZHOU = "\n".join([
    "项目支出绩效目标表（含转移支付项目）",
    "部门名称：广州市政务服务和数据管理局 单位：万元",
    "项目名称（资金使",
    "用单位）",
    "总计 财政拨款",
    "绩效目标 绩效指标",
    "合计 1,493.85 1,493.85",
    "广州市政务服务和",
    "数据管理局",
    "1,493.85 1,493.85",
    "广州市政务服务",
    "和数据管理局数字",
    "政府运营中心穗智",
    "管运营服务项目",
    "1,391.47 1,391.47",
    "通过 “穗智管” 运营服务项目的开展，实现多维度",
    "工作目标的协同推进。",
    "1、1-产出指标；11-数量指标；会议活动保障次数；实施周期指标值: 每年≥20场；年度指标值:每年≥20场。2、1-产出指标；11-数量指",
    "标；汇聚数据量；实施周期指标值:≥10亿条；年度指标值:≥10亿条。",
    "电子政务工作项",
    "目",
    "102.38 102.38",
    "开展基础大模型与智能体相关优化运营工作。",
    "1、1-产出指标；11-数量指标；业务场景构建支撑服务；实施周期指标值:≥10；年度指标值:≥5。",
])


def test_inline_list_rows():
    text = GUANGZHOU
    rows = T.inline_rows(text, parse_form(text))
    assert [(r.get("l1"), r.get("l2"), r.get("l3")) for r in rows] == [
        ("产出指标", "数量指标", "会议活动保障次数"),
        ("产出指标", "数量指标", "汇聚数据量"),
        ("产出指标", "数量指标", "业务场景构建支撑服务"),
    ]
    # The year's value, not the 实施周期 one.
    assert [r.get("value") for r in rows] == ["每年≥20场", "≥10亿条", "≥5"]
    assert rows[2].get("period") == "≥10"


def test_project_table_rows_drop_subtotals():
    text = GUANGZHOU
    rows = T.project_rows(text, parse_form(text))
    assert [(r.name, r.raw) for r in rows] == [
        ("广州市政务服务和数据管理局数字政府运营中心穗智管运营服务项目", "1,391.47"),
        ("电子政务工作项目", "102.38"),
    ]
    assert rows[0].amount == 13914700.0


# 316_xian-医疗保障局_2022_budget.txt (表10, rows cut): a title ending in a note, amounts in 元 printed
# as bare integers, unit rows with a unit code, and the next table's title ending the table.
XIAN_BARE_INTEGERS = (
    "表10\n"
    "2022年部门综合预算专项业务经费支出表（不含上年结转）\n"
    "单位：元\n"
    "单位编码 单位（项目）名称 项目金额 项目简介\n"
    "合计 4538500\n"
    "245 西安市医疗保障局 4538500\n"
    "245001 西安市医疗保障局 4050000\n"
    "引入第三方会计师事务所开展医保基金审计 500000\n"
    "DRGs国家试点工作经费 3500000\n"
    "构建多层次医疗保障体系 50000\n"
    "245002 西安市医疗保障经办服务中心 488500\n"
    "医保关系转移邮寄经费 68500\n"
    "两定机构核查费 235500\n"
    "医保审计经费 184500\n"
    "表11 2022 年部门综合预算政府采购（资产配置、购买服务）预算表\n"
    "单位：元\n"
    "合计 1500000\n"
)


def test_project_table_with_bare_integer_amounts():
    text = XIAN_BARE_INTEGERS
    rows = T.project_rows(text, parse_form(text))
    assert [(r.name, r.amount) for r in rows] == [
        ("引入第三方会计师事务所开展医保基金审计", 500000.0),
        ("DRGs国家试点工作经费", 3500000.0),
        ("构建多层次医疗保障体系", 50000.0),
        ("医保关系转移邮寄经费", 68500.0),
        ("两定机构核查费", 235500.0),
        ("医保审计经费", 184500.0),
    ]


# 318_xian-商务局_2022_budget.txt (表10, rows cut; its title moved to the top, where the PDF prints
# it after the first page of rows): a 序号 column before the names, whose
# indentation (ideographic spaces) shows the level; names may start with a number of their own.
XIAN_ROW_NUMBERS = (
    "表10\n"
    "2022年部门综合预算专项业务经费支出表\n"
    "金额单位：元\n"
    "序号 单位编码 单位（项目）名称 项目金额 项目简介\n"
    "1 合计 2647143.00\n"
    "2 　　　　 专用项目 2647143.00\n"
    "3 　　　　　　　　 扩大对外开放促进进出口贸易提质增效系列活动 2147143.00\n"
    "4 　　　　　　　　 5G中国产业发展大会暨5G通信技术创新成果博览会（外经贸发展专项资金市商务局） 500000.00\n"
)


def test_project_table_row_numbers_are_not_part_of_the_name():
    text = XIAN_ROW_NUMBERS
    rows = T.project_rows(text, parse_form(text))
    assert [(r.name, r.amount) for r in rows] == [
        ("扩大对外开放促进进出口贸易提质增效系列活动", 2147143.0),
        ("5G中国产业发展大会暨5G通信技术创新成果博览会（外经贸发展专项资金市商务局）", 500000.0),
    ]


# -- values --------------------------------------------------------------------------------------------


def test_parse_value_forms():
    def pv(s):
        v = T.parse_value(s)
        return None if v is None else (v.op, v.value, v.unit)

    assert pv("≥ 37 项") == ("≥", "37", "项")
    assert pv("＝ 100 %") == ("=", "100", "%")
    assert pv("≦100") == ("≤", "100", None)
    assert pv(">=") is None
    assert pv("不低于95%") == ("≥", "95", "%")
    assert pv("每年≥20场") == ("≥", "20", "场")
    assert pv("输出上线试运行报告1份") == (None, "1", "份")
    assert pv("≤42.38万元；≤88.65万元") == (None, "≤42.38万元；≤88.65万元", None)
    assert pv("2026年12月31日前") == (None, "2026年12月31日前", None)
    assert pv("≤2026年12月1日") == ("≤", "2026年12月1日", None)
    assert pv("≦核定人数") == ("≤", "核定人数", None)
    assert pv("不超预算数") is None
    assert pv("有效提升") is None
    assert T.parse_value("每年≥20场", strict=True) is None


def test_clean_joins_wrapped_cells():
    assert T.clean("软件、 硬件\n采购数量") == "软件、硬件采购数量"
    assert T.clean("经济效益\n指标") == "经济效益指标"
    assert T.clean("PM2.5 PM10") == "PM2.5 PM10"

"""Reading table rows by their identities (extractor/row_identities.py), on real rows."""

import pytest

from extractor.row_identities import OPERATION as Q
from extractor.row_identities import OVERSEAS as O
from extractor.row_identities import PURCHASE as P
from extractor.row_identities import RECEPTION as R
from extractor.row_identities import TOTAL as T
from extractor.row_identities import VEHICLE as V
from extractor.row_identities import three_public_row as solve_row


def test_names_are_the_contract_names():
    assert (T, O, V, P, Q, R) == (
        "three_public_total", "three_public_overseas", "three_public_vehicle",
        "three_public_vehicle_purchase", "three_public_vehicle_operation", "three_public_reception",
    )

_EXAMPLES = [
    # 112_beijing 预算09表: header cells printed one per line; total, 出国, 接待, 用车 小计, 购置, 运行.
    ([77.6726, 50.3326, 1.92, 25.42, 18.69, 6.73], {0: T, 3: V, 4: P, 5: Q}),
    # 108_beijing, same form, six decimals.
    ([9957.583785, 132.525, 98.798248, 9726.260537, 5621.260537, 4105.0], {0: T, 3: V, 4: P, 5: Q}),
    # 013_jiangsu: 合计 of 三公+会议+培训 first, then 三公 total, 出国, 用车 小计, (购置 blank) 运行, 接待, 会议, 培训.
    ([1471.70, 508.20, 70.00, 411.20, 411.20, 27.00, 933.50, 30.00], {1: T, 3: V}),
]

_NOT_THREE_PUBLIC = [
    # 233_shanghai 收支总表 row: 支出 = 人员 + 公用 + 项目 holds, but nothing splits like the vehicle item.
    [288280739, 267027339, 29148414, 10442126, 227436799],
    # Totals of zero fit every layout: nothing can be told apart.
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    # Too few numbers for both identities.
    [867.5, 839.0, 28.5],
]


@pytest.mark.parametrize("values, expected", _EXAMPLES)
def test_identities_place_the_numbers(values, expected):
    got = solve_row(values)
    for pos, name in expected.items():
        assert got.get(pos) == name
    # 出国 and 接待 are both single cells: the identities cannot tell them apart, so neither is named.
    assert O not in got.values() and R not in got.values()


@pytest.mark.parametrize("values", _NOT_THREE_PUBLIC)
def test_rows_without_both_identities_give_nothing(values):
    assert solve_row(values) == {}


def test_expenditure_total_row():
    from extractor.row_identities import expenditure_row

    # 112_beijing 合 计 row: total, 基本支出 小计, 人员经费, 公用经费, 项目支出 小计, its 一般公共预算 part.
    got = expenditure_row([110896.619602, 11161.558229, 10302.566783, 858.991446, 99735.061373, 99735.061373])
    assert got == {1: "basic_expenditure", 2: "basic_part1", 3: "basic_part2", 4: "project_expenditure"}
    # 项目支出 printed before 基本支出.
    assert expenditure_row([100.0, 40.0, 60.0, 50.0, 10.0])[1] == "project_expenditure"
    # Zeros satisfy the sums trivially (206_guangzhou: 1,497.06 1,497.06 0.00 0.00 0.00): nothing decided.
    assert expenditure_row([16410.71, 1497.06, 1497.06, 0.0, 0.0, 0.0]) == {}


def test_short_row_under_a_header_places_its_blanks():
    from extractor.row_identities import three_public_under_header as place

    # 128_beijing 预算09表: the header names 总额, 出国, 接待, 用车 小计, 购置, 运行; the row prints
    # three numbers, the vehicle cells being blank. Only one placement satisfies both identities.
    header = [T, O, R, V, P, Q]
    assert place(header, [231.434069, 218.569452, 12.864617]) == {T: 0, O: 1, R: 2, V: -1, P: -1, Q: -1}
    # 254_shanghai: 4.70 1.50 3.20 3.20 fits both "出国 1.50, 购置 blank" and "出国 blank, 接待 1.50,
    # 运行 blank" (the document means the second): only the total and the vehicle item are decided.
    assert place(header, [4.70, 1.50, 3.20, 3.20]) == {T: 0, V: 2}
    # 230_shanghai: one blank among the vehicle parts; which one is undecided, the rest is.
    assert place(header, [67.59, 35.00, 12.49, 20.10, 20.10]) == {T: 0, O: 1, R: 2, V: 3}


def test_short_row_needs_the_whole_header_and_a_fit():
    from extractor.row_identities import three_public_under_header as place

    assert place([T, O, R], [10.0, 4.0]) == {}  # a header that does not name all six items
    assert place([T, O, R, V, P, Q], [10.0, 4.0, 5.0]) == {}  # 10 ≠ 4 + 5 however placed
    assert place([T, O, R, V, P, Q], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]) == {}  # a full row that fits no sum
    assert place([T, O, R, V, P, Q], [1.0] * 7) == {}  # more numbers than the header has names


def test_full_row_takes_the_header_order_when_the_identities_hold():
    from extractor.row_identities import three_public_under_header as place

    # 105_beijing 预算09表 (shared corpus dev/, not annotated): 出国 and 接待, 购置 and 运行 fit the
    # identities either way round; the header's order decides them.
    row = [222.676050, 130.819050, 9.000000, 82.857000, 37.380000, 45.477000]
    assert place([T, O, R, V, P, Q], row) == {T: 0, O: 1, R: 2, V: 3, P: 4, Q: 5}
    # 122_beijing's text prints the vehicle cell, the top of its column group, first: read in
    # that order the row breaks the identities, and nothing is named.
    assert place([V, T, O, R, P, Q], row) == {}

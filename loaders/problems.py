"""A loader's row problems as codes with values, and their words in English and Chinese.

Validation gives every bad cell a problem code, a fix code and the values they need; the command
line and the Imports page both render them from this table (the page through presentation/i18n,
which merges it), so no sentence is ever parsed back into its parts.
"""
from __future__ import annotations

PROBLEM_WORDS: dict[str, dict[str, str]] = {
    "problem.empty": {"en": "is empty", "zh": "为空"},
    "problem.not_date": {"en": "is not a date", "zh": "不是日期"},
    "problem.future": {"en": "is in the future", "zh": "是未来的日期"},
    "problem.not_number": {"en": "is not a number", "zh": "不是数字"},
    "problem.outside_scale": {"en": "is outside the scale {low}-{high}", "zh": "超出量表范围 {low}-{high}"},
    "problem.outside_scale_na": {"en": "is outside the scale {low}-{high} ({na} = not applicable)",
                                 "zh": "超出量表范围 {low}-{high}（{na} 表示不适用）"},
    "problem.not_whole": {"en": "is not a whole number", "zh": "不是整数"},
    "problem.not_yes_no": {"en": "is not yes or no", "zh": "不是“是”或“否”"},
    "problem.not_better": {"en": "is not higher or lower", "zh": "不是 higher 或 lower"},
    "problem.repeated_id": {"en": "repeats an ID used earlier in the file", "zh": "与文件中前面的编号重复"},
    "problem.resolved_before": {"en": "is before the complaint was received", "zh": "早于投诉受理时间"},
    "problem.unknown_rule": {"en": "is not a rule the dashboard knows", "zh": "不是仪表板支持的计算规则"},
    "problem.outside_item_scale": {"en": "is outside the item's scale", "zh": "超出该题的量表范围"},
    "fix.fill_in": {"en": "Fill in the {field}.", "zh": "请填写{field_zh}。"},
    "fix.date": {"en": "Write dates as YYYY-MM-DD or YYYY-MM-DD HH:MM (e.g. 2026-10-15).",
                 "zh": "日期请写成 YYYY-MM-DD 或 YYYY-MM-DD HH:MM（如 2026-10-15）。"},
    "fix.future": {"en": "Check the year and month of this date.", "zh": "请检查该日期的年份和月份。"},
    "fix.number": {"en": "Enter a number.", "zh": "请填写数字。"},
    "fix.number_or_blank": {"en": "Enter a number, or leave the cell blank.", "zh": "请填写数字，或留空。"},
    "fix.value_range": {"en": "Use a value from {low} to {high}, or correct the scale in the mapping.",
                        "zh": "请填写 {low} 到 {high} 之间的值，或在列映射中更正量表。"},
    "fix.whole": {"en": "Use a whole number.", "zh": "请填写整数。"},
    "fix.yes_no": {"en": "Write Yes or No (是/否).", "zh": "请填写“是”或“否”（Yes/No）。"},
    "fix.better": {"en": "Write 'higher' if a larger number is better, 'lower' if a smaller one is.",
                   "zh": "数值越大越好填 higher，越小越好填 lower。"},
    "fix.score_or_blank": {"en": "Enter a score, or leave the cell blank when the question was not answered.",
                           "zh": "请填写分数；未作答的题目请留空。"},
    "fix.score_range": {"en": "Use a score from {low} to {high}, or correct the item's scale /"
                              " not-applicable code in the mapping.",
                        "zh": "请填写 {low} 到 {high} 之间的分数，或在列映射中更正该题的量表或不适用代码。"},
    "fix.repeated_id": {"en": "Give every row its own ID, or remove the duplicated row.",
                        "zh": "请为每行设置唯一编号，或删除重复的行。"},
    "fix.resolved_before": {"en": "Check both dates; resolution comes after receipt.",
                            "zh": "请检查两个日期：解决时间应晚于受理时间。"},
    "fix.rule": {"en": "Use one of: {rules} — or give the Actual as a number.",
                 "zh": "请使用以下规则之一：{rules}；或直接填写实际值。"},
    "fix.item_scale": {"en": "Use a score within Scale min-Scale max (default 1-7).",
                       "zh": "请填写量表最小值与最大值之间的分数（默认 1-7）。"},
    "problem.outside_scale_zero": {"en": "is 0, outside the scale {low}-{high}",
                                   "zh": "为 0，超出量表范围 {low}-{high}"},
    "fix.zero_na": {"en": "If 0 means 'not applicable' here, set the item's not-applicable code to 0 in the"
                          " mapping (the page's N/A column, or --mapping); otherwise use a score from {low} to {high}.",
                    "zh": "如果这里 0 表示“不适用”，请在列映射中把该题的不适用代码设为 0（页面的“不适用代码”列，或 --mapping）；"
                          "否则请填写 {low} 到 {high} 之间的分数。"},
}


def render(prefix: str, code: str, values: dict | None, language: str = "en") -> str:
    """'problem' or 'fix' words for a code, in the language, with its values filled in."""
    entry = PROBLEM_WORDS.get(f"{prefix}.{code}")
    if entry is None:
        return code
    values = dict(values or {})
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text

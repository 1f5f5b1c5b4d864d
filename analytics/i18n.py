"""Every word the dashboard shows, in English and Simplified Chinese, in one table.

Pages, charts and the report ask `translate(key, language, **values)`; data values (branch
names, verbatims) are never translated. A missing key fails loudly in tests, not on screen.
"""
from __future__ import annotations

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"

# The upload page (pages/imports.py, pages/_upload.py, pages/_access.py).
_UPLOAD_TEXT: dict[str, dict[str, str]] = {
    "access.open": {
        "en": "Uploads are open: no analyst passphrase or sign-in is set up, so anyone who can open the"
              " dashboard can import and undo. The README explains how to keep this to analysts.",
        "zh": "上传未设限制：尚未设置分析师口令或登录，任何能打开仪表板的人都可以导入和撤销。"
              "如何只允许分析师操作，请见 README。"},
    "access.viewer_passphrase": {
        "en": "Importing and undoing are for analysts. Analysts unlock them with the analyst passphrase.",
        "zh": "导入和撤销仅限分析师。分析师请输入分析师口令解锁。"},
    "access.unlock_title": {"en": "Analyst sign-in", "zh": "分析师登录"},
    "access.name": {"en": "Your name (shown in the import history)", "zh": "您的姓名（显示在导入历史中）"},
    "access.passphrase": {"en": "Analyst passphrase", "zh": "分析师口令"},
    "access.unlock": {"en": "Unlock", "zh": "解锁"},
    "access.empty": {"en": "Type the passphrase first.", "zh": "请先输入口令。"},
    "access.wrong": {"en": "That passphrase is not right. After {left} more wrong attempts sign-in locks"
                           " for a while.",
                     "zh": "口令不正确。再错 {left} 次，登录将被暂时锁定。"},
    "access.locked": {"en": "Too many wrong passphrases: sign-in is locked for {seconds} s.",
                      "zh": "口令错误次数过多：登录已锁定 {seconds} 秒。"},
    "access.unlocked": {"en": "Unlocked for analyst {who}.", "zh": "已为分析师 {who} 解锁。"},
    "access.unlocked_anonymous": {"en": "Unlocked for analysts.", "zh": "已为分析师解锁。"},
    "access.lock": {"en": "Lock", "zh": "锁定"},
    "access.viewer_oidc": {"en": "Importing and undoing are for analysts. Sign in with your work account.",
                           "zh": "导入和撤销仅限分析师。请用工作账号登录。"},
    "access.sign_in": {"en": "Sign in", "zh": "登录"},
    "access.sign_out": {"en": "Sign out", "zh": "退出登录"},
    "access.not_analyst": {"en": "Signed in as {email}, who is not on the analysts' list: you can read the"
                                 " history but not import or undo.",
                           "zh": "当前登录账号 {email} 不在分析师名单中：可以查看导入历史，但不能导入或撤销。"},
    "access.analyst_oidc": {"en": "Signed in as {email} (analyst).", "zh": "已登录：{email}（分析师）。"},
    "access.login_failed": {"en": "Sign-in is configured but could not start: {error}",
                            "zh": "已配置登录，但无法启动：{error}"},
    "access.denied": {"en": "Only an analyst may import or undo. Sign in as one first.",
                      "zh": "只有分析师可以导入或撤销，请先以分析师身份登录。"},
    "upload.title": {"en": "Upload files", "zh": "上传文件"},
    "upload.files": {"en": "Survey, NPS, complaint, management-estimate or service-standard spreadsheets",
                     "zh": "满意度问卷、NPS、投诉、管理层估计或服务标准表格"},
    "upload.files_help": {"en": "xlsx or csv (UTF-8 or GBK), several at once. Each file gets its own"
                                " mapping, report and import button.",
                          "zh": "xlsx 或 csv（UTF-8 或 GBK），可一次上传多个。每个文件有各自的列映射、"
                                "校验报告和导入按钮。"},
    "upload.kind": {"en": "Kind of file", "zh": "文件类型"},
    "upload.kind_auto": {"en": "Detect from headers", "zh": "根据表头识别"},
    "upload.detected": {"en": "Detected as {kind}.", "zh": "识别为{kind}。"},
    "upload.sheet": {"en": "Sheet", "zh": "工作表"},
    "upload.rows_read": {"en": "{rows} rows under the header on row {header}.",
                         "zh": "表头在第 {header} 行，其下共 {rows} 行。"},
    "upload.kind_unknown": {"en": "The headers do not say which kind of file this is. Choose its kind"
                                  " above, then map its columns below.",
                            "zh": "无法从表头判断文件类型。请在上方选择类型，然后在下方映射各列。"},
    "upload.cannot_read": {"en": "This file cannot be read. The loaders say:",
                           "zh": "无法读取此文件。加载程序的说明："},
    "upload.mapping": {"en": "Column mapping", "zh": "列映射"},
    "upload.mapping_saved": {"en": "A mapping saved for files with these same headers was used. Check it;"
                                   " your corrections are saved with the import.",
                             "zh": "已使用为相同表头的文件保存的列映射。请核对；您的修改会随导入一并保存。"},
    "upload.mapping_inferred": {"en": "Mapping inferred from the headers and the numbers in the columns."
                                      " Correct any row before importing; it is remembered for files with"
                                      " the same headers.",
                                "zh": "列映射根据表头和各列数值推断。导入前可修改任意一行；"
                                      "相同表头的文件下次会沿用。"},
    "upload.mapping_edited": {"en": "Mapping corrected; it is saved for files with these headers when you"
                                    " import.",
                              "zh": "列映射已修改；导入时会为相同表头的文件保存。"},
    "upload.col.column": {"en": "Column in the file", "zh": "文件中的列"},
    "upload.col.sample": {"en": "Sample values", "zh": "示例值"},
    "upload.col.target": {"en": "Maps to", "zh": "对应字段"},
    "upload.col.target_help": {"en": "The field this column feeds (* = required), a rating item, or"
                                     " ignore.",
                               "zh": "此列对应的字段（* 为必填）、评分题或忽略。"},
    "upload.col.item_code": {"en": "Item code", "zh": "题号"},
    "upload.col.item_code_help": {"en": "The E_ and P_ columns of one item share its code.",
                                  "zh": "同一题目的期望（E_）列与感知（P_）列使用相同题号。"},
    "upload.col.item_text": {"en": "Question", "zh": "题目"},
    "upload.col.rating_kind": {"en": "Rating kind", "zh": "评分类型"},
    "upload.col.dimension": {"en": "Dimension", "zh": "维度"},
    "upload.col.dimension_help": {"en": "tangibles, reliability, responsiveness, assurance, empathy, or a"
                                        " group of your own",
                                  "zh": "有形性、可靠性、响应性、保证性、移情性，或自定义分组"},
    "upload.col.scale_min": {"en": "Scale min", "zh": "量表最小值"},
    "upload.col.scale_max": {"en": "Scale max", "zh": "量表最大值"},
    "upload.col.na_code": {"en": "N/A code", "zh": "不适用代码"},
    "upload.col.na_code_help": {"en": "A score that means 'not applicable' (e.g. 0 on a 1-5 scale); it is"
                                      " stored as missing.",
                                "zh": "表示“不适用”的分值（如 1-5 分量表中的 0），存为缺失值。"},
    "upload.target.rating": {"en": "Rating item", "zh": "评分题"},
    "upload.target.ignore": {"en": "— ignore —", "zh": "— 忽略 —"},
    "rating_kind.satisfaction": {"en": "satisfaction", "zh": "满意度"},
    "rating_kind.perception": {"en": "perception", "zh": "感知"},
    "rating_kind.expectation": {"en": "expectation", "zh": "期望"},
    "rating_kind.importance": {"en": "importance", "zh": "重要性"},
    "upload.mapping.not_number": {"en": "Column '{column}': {what} must be a number.",
                                  "zh": "列“{column}”：{what}必须是数字。"},
    "upload.mapping.rows_changed": {"en": "The mapping needs one row per column of the file; reload the"
                                          " file.",
                                    "zh": "列映射须与文件的列一一对应；请重新上传文件。"},
    "upload.mapping.unknown_target": {"en": "Column '{column}': choose what it maps to from the list.",
                                      "zh": "列“{column}”：请从列表中选择对应字段。"},
    "upload.mapping.twice": {"en": "{field} is mapped from two columns, '{first}' and '{second}'. Keep one"
                                   " and set the other to ignore.",
                             "zh": "“{field}”同时对应了“{first}”和“{second}”两列。请保留一列，另一列设为忽略。"},
    "upload.mapping.rating_kind": {"en": "Column '{column}': the rating kind must be satisfaction,"
                                         " perception, expectation or importance.",
                                   "zh": "列“{column}”：评分类型须为满意度、感知、期望或重要性。"},
    "upload.mapping.no_scores": {"en": "Column '{column}' holds no numbers, so it cannot be a rating item.",
                                 "zh": "列“{column}”中没有数字，不能作为评分题。"},
    "upload.mapping.scale": {"en": "Column '{column}': scale max ({high}) must be above scale min ({low}).",
                             "zh": "列“{column}”：量表最大值（{high}）须大于最小值（{low}）。"},
    "upload.mapping.item_twice": {"en": "Item {code} ({rating_kind}) comes from two columns, '{first}' and"
                                        " '{second}'. Give each its own item code.",
                                  "zh": "题号 {code}（{rating_kind}）同时来自“{first}”和“{second}”两列。请为每列设置不同题号。"},
    "upload.missing_required": {"en": "Map a column to {fields}: a file of this kind needs it.",
                                "zh": "请为“{fields}”指定一列：此类文件必须包含该字段。"},
    "upload.no_ratings": {"en": "A survey needs rating columns or an overall satisfaction column: set at"
                                " least one column to 'Rating item'.",
                          "zh": "满意度问卷需要评分列或总体满意度列：请至少将一列设为“评分题”。"},
    "upload.report": {"en": "Validation", "zh": "数据校验"},
    "upload.rows_total": {"en": "Rows in the file", "zh": "文件行数"},
    "upload.rows_good": {"en": "Good rows", "zh": "有效行"},
    "upload.rows_bad": {"en": "Rows with problems", "zh": "有问题的行"},
    "upload.all_good": {"en": "Every row is good: {rows} rows are ready to import.",
                        "zh": "全部有效：{rows} 行可以导入。"},
    "upload.some_bad": {"en": "{bad} of {total} rows have problems. Fix them in the file and upload it"
                              " again, or import the good rows and skip these.",
                        "zh": "{total} 行中有 {bad} 行存在问题。请在文件中修正后重新上传，或只导入有效行并跳过这些行。"},
    "upload.problems_shown": {"en": "Showing the first {shown} of {count} problems; the download has all of"
                                    " them.",
                              "zh": "仅显示 {count} 个问题中的前 {shown} 个；下载文件包含全部问题。"},
    "upload.download_report": {"en": "Download the problems (csv)", "zh": "下载问题清单（csv）"},
    "upload.report.row": {"en": "Row", "zh": "行号"},
    "upload.report.column": {"en": "Column", "zh": "列"},
    "upload.report.value": {"en": "Value", "zh": "值"},
    "upload.report.problem": {"en": "Problem", "zh": "问题"},
    "upload.report.fix": {"en": "How to fix", "zh": "修改方法"},
    "upload.preview": {"en": "Preview: the first good rows as they will be stored",
                       "zh": "预览：前几行有效数据（按入库后的样子）"},
    "upload.preview_none": {"en": "No good rows to preview.", "zh": "没有可预览的有效行。"},
    "upload.preview_ratings": {"en": "Ratings of these rows, one row per answer",
                               "zh": "这些答卷的评分，每个回答一行"},
    "upload.skip_invalid": {"en": "Import the {good} good rows and skip the {bad} with problems (they are"
                                  " recorded with the batch)",
                            "zh": "导入 {good} 行有效数据，跳过 {bad} 行有问题的数据（跳过的行随批次记录）"},
    "upload.import": {"en": "Import", "zh": "导入"},
    "upload.progress.start": {"en": "Starting…", "zh": "开始…"},
    "upload.progress.reading": {"en": "Reading the file…", "zh": "正在读取文件…"},
    "upload.progress.validating": {"en": "Validating every row…", "zh": "正在校验每一行…"},
    "upload.progress.scoring sentiment": {"en": "Scoring the sentiment of comments…",
                                          "zh": "正在计算评论的情感倾向…"},
    "upload.progress.writing": {"en": "Writing to the store…", "zh": "正在写入数据库…"},
    "upload.progress.done": {"en": "Done", "zh": "完成"},
    "upload.refused": {"en": "Nothing was imported: {bad} of {total} rows have problems (listed above). Fix"
                             " them, or tick the option to import the good rows and skip the others.",
                       "zh": "未导入任何数据：{total} 行中有 {bad} 行存在问题（见上方列表）。请修正，"
                             "或勾选“只导入有效行并跳过其余行”。"},
    "upload.refused_all": {"en": "Nothing was imported: none of the {total} rows is good.",
                           "zh": "未导入任何数据：{total} 行中没有有效行。"},
    "upload.failed": {"en": "Nothing was imported. The loaders say:", "zh": "未导入任何数据。加载程序的说明："},
    "upload.imported": {"en": "Imported {rows} rows from {file} as batch {batch}.",
                        "zh": "已从 {file} 导入 {rows} 行，批次 {batch}。"},
    "upload.imported_skipped": {"en": "{skipped} rows with problems were skipped and recorded with the"
                                      " batch.",
                                "zh": "已跳过 {skipped} 行有问题的数据，并随批次记录。"},
    "upload.changes": {"en": "What changed", "zh": "数据变化"},
    "upload.headline.nps": {"en": "NPS", "zh": "NPS"},
    "upload.already_imported": {"en": "This file was imported on {when} as batch {batch}. To import it"
                                      " again, undo that batch first.",
                                "zh": "此文件已于 {when} 导入，批次 {batch}。如需重新导入，请先撤销该批次。"},
    "upload.templates": {"en": "Templates", "zh": "导入模板"},
    "upload.templates_help": {"en": "One workbook per kind: bilingual headers, two example rows, and a sheet"
                                    " explaining each column.",
                              "zh": "每种类型一个工作簿：中英双语表头、两行示例，以及逐列说明的工作表。"},
    "upload.undo_choose": {"en": "Batch to undo", "zh": "要撤销的批次"},
    "upload.undo": {"en": "Undo…", "zh": "撤销…"},
    "upload.undo_title": {"en": "Undo this import?", "zh": "撤销此次导入？"},
    "upload.undo_confirm": {"en": "Batch {batch}: {rows} rows of {kind} from {file}, imported {when}. Undo"
                                  " removes exactly these rows; the batch stays in the history as undone.",
                            "zh": "批次 {batch}：来自 {file} 的 {rows} 行{kind}数据，导入于 {when}。"
                                  "撤销将只删除这些行；该批次会以“已撤销”状态保留在历史中。"},
    "upload.undo_yes": {"en": "Yes, undo it", "zh": "确认撤销"},
    "upload.cancel": {"en": "Cancel", "zh": "取消"},
    "upload.undone": {"en": "Undone: batch {batch} ({rows} rows from {file}) was removed.",
                      "zh": "已撤销：批次 {batch}（来自 {file} 的 {rows} 行）已删除。"},
    "upload.skipped_title": {"en": "Rows skipped by an import", "zh": "导入时跳过的行"},
    "upload.skipped_choose": {"en": "Batch", "zh": "批次"},
    "upload.skipped_download": {"en": "Download these rows' problems (csv)", "zh": "下载这些行的问题（csv）"},
    "col.undone_at": {"en": "Undone at", "zh": "撤销时间"},
    "upload.by_cli": {"en": "command line", "zh": "命令行"},
    "upload.by_page": {"en": "upload page", "zh": "上传页面"},
    "upload.by_analyst": {"en": "analyst", "zh": "分析师"},
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
    "fix.fill_in": {"en": "Fill in the {field}.", "zh": "请填写{field}。"},
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
}

TEXT: dict[str, dict[str, str]] = {
    "app.title": {"en": "Voice of the customer", "zh": "客户之声"},
    "app.language": {"en": "Language", "zh": "语言"},
    "nav.imports": {"en": "Imports", "zh": "数据导入"},
    "imports.title": {"en": "Imports", "zh": "数据导入"},
    "imports.history": {"en": "Import history", "zh": "导入历史"},
    "imports.row_counts": {"en": "Rows in the store", "zh": "数据库中的行数"},
    "imports.none": {"en": "Nothing has been imported yet.", "zh": "尚未导入任何数据。"},
    "table.import_batch": {"en": "Import batches", "zh": "导入批次"},
    "table.survey_response": {"en": "Survey responses", "zh": "问卷答卷"},
    "table.survey_rating": {"en": "Survey ratings", "zh": "问卷评分"},
    "table.nps_response": {"en": "NPS responses", "zh": "NPS 回答"},
    "table.complaint": {"en": "Complaints", "zh": "投诉"},
    "table.management_rating": {"en": "Management estimates", "zh": "管理层估计"},
    "table.service_standard": {"en": "Service standards", "zh": "服务标准"},
    "col.batch": {"en": "Batch", "zh": "批次"},
    "col.kind": {"en": "Kind", "zh": "类型"},
    "col.file": {"en": "File", "zh": "文件"},
    "col.sheet": {"en": "Sheet", "zh": "工作表"},
    "col.rows": {"en": "Rows", "zh": "行数"},
    "col.skipped": {"en": "Skipped", "zh": "跳过"},
    "col.imported_at": {"en": "Imported at", "zh": "导入时间"},
    "col.imported_by": {"en": "By", "zh": "导入人"},
    "col.status": {"en": "Status", "zh": "状态"},
    "col.table": {"en": "Table", "zh": "数据表"},
    "kind.survey": {"en": "Survey", "zh": "满意度问卷"},
    "kind.nps": {"en": "NPS", "zh": "NPS"},
    "kind.complaints": {"en": "Complaints", "zh": "投诉"},
    "kind.management_survey": {"en": "Management estimates", "zh": "管理层估计"},
    "kind.standards": {"en": "Service standards", "zh": "服务标准"},
    "status.imported": {"en": "imported", "zh": "已导入"},
    "status.undone": {"en": "undone", "zh": "已撤销"},
}
TEXT.update(_UPLOAD_TEXT)


def translate(key: str, language: str = DEFAULT_LANGUAGE, **values) -> str:
    entry = TEXT[key]
    text = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text

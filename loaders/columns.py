"""What each kind of file holds, and how an analyst's headers map onto it.

One table of fields per kind, each with its English and Chinese header synonyms; the mapping a
file gets is inferred from its headers (and, for a survey, from a questions sheet or from the
numbers in its rating columns), shown to the analyst, and may be overridden field by field.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from loaders.answers import ColumnAnswers, answer_key, numbers_role, question_words, read_answer_columns
from loaders.dates import EXCEL_SERIAL, day_month_order
from loaders.errors import KindDecisionNeeded, LoadError
from loaders.platforms import NUMBERING, PlatformColumns, detect_platform, platform_columns
from loaders.read import ROW_COLUMN, SourceTable
from store.db import quote_identifier

KINDS = ("survey", "nps", "complaints", "management_survey", "standards")
KIND_ALIASES = {"management": "management_survey", "complaint": "complaints",
                "standard": "standards", "surveys": "survey"}
RATING_KINDS = ("satisfaction", "perception", "expectation", "importance")
SERVQUAL_DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")


@dataclass(frozen=True)
class Field:
    """A column the store knows, with what it takes and the headers analysts give it."""

    name: str
    label_en: str
    label_zh: str
    kind: str                      # text | datetime | number | integer | boolean | better
    required: bool = False
    synonyms: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    help_en: str = ""
    help_zh: str = ""
    example: str = ""


def _f(name, label_en, label_zh, kind="text", required=False, synonyms=(), low=None, high=None,
       help_en="", help_zh="", example=""):
    return Field(name, label_en, label_zh, kind, required, tuple(synonyms), low, high,
                 help_en, help_zh, example)


_CUSTOMER = _f("customer_id", "Customer ID", "客户编号",
               synonyms=("customer id", "customer", "customer no", "customer number", "client id",
                         "client", "cust id", "member id", "contact id", "requester id", "person id", "客户编号",
                         "客户号", "客户id", "客户代码",
                         "客户", "会员号", "会员编号", "会员卡号", "account number", "account id", "account no",
                         "complainant", "complainant name", "complainant id", "投诉人", "投诉人编号",
                         # a call log's caller, an app's user, a review site's reviewer
                         "membership id", "membership number", "loyalty id", "loyalty number", "留言用户",
                         "caller", "caller id", "user", "user id", "username", "user name", "reviewer",
                         "reviewer name", "reviewer id", "用户", "用户id", "用户名", "用户编号"),
               help_en="Your identifier of the customer (masked in presentation mode)",
               help_zh="客户的编号（演示模式下会被遮蔽）", example="C000123")
_REGION = _f("region", "Region", "区域",
             synonyms=("region", "area", "区域", "地区", "大区", "片区", "borough", "district", "county", "market",
                       "商区", "商圈",
                       "state", "province", "省份", "所属区域",
                       "state/region", "城市", "所在城市", "所属城市", "city"),
             help_en="Region the branch belongs to", help_zh="网点所属区域", example="East")
_BRANCH = _f("branch", "Branch", "网点",
             synonyms=("branch", "store", "outlet", "site", "location", "branch name", "门店", "网点",
                       "支行", "分行", "营业厅", "分店",
                       # the place's own word where a business is many of them
                       "restaurant", "hotel", "property", "clinic", "unit", "unit name", "门店名称", "所属门店",
                       "网点名称", "所属网点", "营业网点", "支行名称", "所属支行", "分店名称", "店铺名称", "酒店",
                       "酒店名称",
                       "餐厅", "餐厅名称", "被投诉网点", "被投诉机构", "涉及网点", "责任网点",
                       "center", "centre", "service center", "service centre", "服务中心",
                       "商家名称", "商家", "店名", "门店名", "商户名称"),
             help_en="Branch or store", help_zh="网点/门店/支行", example="Shanghai Pudong")
_CHANNEL = _f("channel", "Channel", "渠道",
              synonyms=("channel", "渠道", "服务渠道", "submitted via", "via", "source", "ticket source", "case origin",
                        "channel type", "open data channel type", "contact type", "contact channel",
                        "origin", "received via", "how received", "method of contact", "contact method",
                        "受理渠道", "投诉渠道", "来源渠道", "反映渠道", "来源"),
              help_en="Channel of the contact", help_zh="服务渠道", example="Mobile app")
_PRODUCT = _f("product", "Product", "产品", synonyms=("product", "product line", "产品", "业务", "产品类型",
                                                       "业务类别", "业务类型", "业务种类"),
              help_en="Product concerned", help_zh="涉及的产品", example="Credit card")
_SEGMENT = _f("segment", "Segment", "客户类型",
              synonyms=("segment", "customer segment", "customer type", "客户类型", "客群", "客户分层",
                        "客户群体", "细分"),
              help_en="Customer segment", help_zh="客户类型/客群", example="Retail")

# Customer tiers (issue 23): the file's own word for the tier (text/tiers.py maps it to key, core or
# general), or the value columns the analyst's rules turn into one (store/tiers.py). "Segment" stays
# the segment field: a customer segment (retail, small business) is not a tier.
_TIER = _f("tier", "Tier", "客户等级",
           synonyms=("tier", "customer tier", "client tier", "value tier", "tier level", "customer level",
                     "client level", "customer grade", "customer class", "membership level", "member level",
                     "membership tier", "vip level", "vip", "客户等级", "客户层级", "客户级别", "会员等级", "会员级别",
                     "客户分级", "客户价值等级", "贵宾等级", "vip等级", "客户星级"),
           help_en="Key, core or general (or your own words: VIP, Gold, ...)",
           help_zh="重点、核心或一般客户（或贵司自己的叫法：VIP、金卡……）", example="Key")
_ANNUAL_VALUE = _f("annual_value", "Annual value", "年度价值", "number",
                   synonyms=("annual value", "annual spend", "annual revenue", "yearly value", "yearly spend",
                             "customer value", "annual contribution", "年度价值", "年消费额", "年消费", "年度消费额",
                             "年度消费", "年贡献", "年度贡献", "客户价值", "年收入贡献"),
                   low=0, help_en="What the customer is worth a year, for the tier rules",
                   help_zh="客户一年的价值（用于客户分级规则）", example="52000")
_PRODUCTS_HELD = _f("products_held", "Products held", "持有产品数", "number",
                    synonyms=("products held", "number of products", "products owned", "product count",
                              "products", "holdings", "持有产品数", "持有产品数量", "持有产品", "产品数", "产品数量"),
                    low=0, help_en="How many of our products the customer holds, for the tier rules",
                    help_zh="客户持有的产品数（用于客户分级规则）", example="3")
_TIER_FIELDS = (_TIER, _ANNUAL_VALUE, _PRODUCTS_HELD)

# more headers of the moment a survey or NPS question was answered, as survey and NPS tools name it
# (Delighted's "Created", AskNicely's "Responded")
_ANSWERED_WORDS = ("comment at", "commented at", "comment time", "comment date", "review time",
                   "responded", "response time", "answered", "answered at", "created", "created at",
                   "review date", "reviewed", "reviewed at", "date of review", "评价时间", "评论时间",
                   "date created", "submission date", "completed at", "date completed", "completion date",
                   "review created", "published", "published at", "date published", "publish date",
                   "date of experience", "experience date", "experienced", "end date", "end time", "recorded date",
                   "answer date", "answer time", "answer datetime", "datetime", "date time",
                   "回答时间", "提交日期", "完成时间", "作答时间", "答卷时间", "填写时间", "survey completed",
                   "创建时间", "发表时间", "发布时间",
                   # when the customer came, where a survey gives no time of answering
                   "visit date", "date of visit", "stay date", "date of stay", "到店时间", "到店日期",
                   "到访日期", "消费时间", "消费日期", "就餐时间")

# the recommendation by its noun (and French spelling, as an export from France writes it)
_RECOMMENDATION = ("recommendation score", "recommendation", "recommandation score", "recommandation")
# the recommendation question under its metric's name, in a survey and in an NPS file alike
_NET_PROMOTER = ("net promoter score", "net promoter", "净推荐值", "净推荐")

FIELDS: dict[str, tuple[Field, ...]] = {
    "survey": (
        _f("respondent_id", "Response ID", "问卷编号",
           synonyms=("response id", "respondent id", "respondent", "response", "survey id", "id", "review id",
                     "问卷编号", "答卷编号", "受访者编号", "编号", "问卷序号", "答卷序号"),
           help_en="Unique per response", help_zh="每份答卷唯一", example="R000001"),
        _CUSTOMER,
        _f("responded_at", "Date", "日期", "datetime", True,
           synonyms=("date", "response date", "survey date", "submitted", "submitted at",
                     "responded at", "completed", "timestamp", *_ANSWERED_WORDS, "日期", "填写日期", "提交时间",
                     "答题时间", "调查日期", "时间"),
           help_en="When the survey was answered (YYYY-MM-DD)", help_zh="填写日期（YYYY-MM-DD）",
           example="2026-10-15"),
        _REGION, _BRANCH, _CHANNEL, _PRODUCT, _SEGMENT, *_TIER_FIELDS,
        _f("overall_satisfaction", "Overall satisfaction", "总体满意度", "number",
           synonyms=("overall satisfaction", "overall", "satisfaction", "overall score", "osat",
                     "customer satisfaction", "csat", "star rating", "stars", "review stars", "review rating",
                     "rating", "overall rating", "reviews rating", "评分", "打分", "用户评分", "评论评分",
                     "星级", "星级评分",
                     "总体满意度", "整体满意度", "满意度", "总体评价", "总体评分", "整体评分", "综合评分"),
           help_en="Overall satisfaction on the survey's scale (e.g. 1-10)",
           help_zh="总体满意度（如 1-10 分）", example="8"),
        _f("likelihood_to_recommend", "Likelihood to recommend", "推荐意愿", "integer",
           synonyms=("likelihood to recommend", "recommend", "would recommend", "ltr", "nps", *_RECOMMENDATION,
                     *_NET_PROMOTER,
                     "推荐意愿", "推荐可能性", "推荐度", "推荐分数", "推荐评分", "推荐打分", "推荐程度"),
           low=0, high=10, help_en="0-10, when the survey asks it", help_zh="0-10 分（如有）",
           example="9"),
        _f("comment", "Comment", "评论",
           synonyms=("comment", "comments", "verbatim", "feedback", "remarks", "suggestion",
                     "open answer", "review", "review text", "review content", "review body", "text", "content",
                     "any comments",
                     "other comments", "your comments", "further comments", "final comments", "general comments",
                     "any feedback", "your feedback", "other feedback", "suggestions", "any suggestions",
                     "评论", "意见", "评价内容", "评论内容", "留言", "建议", "备注",
                     "意见建议", "反馈", "其他意见", "其他建议",
                     "意见和建议", "其它意见", "其它建议"),
           help_en="The respondent's own words", help_zh="客户原话", example="Friendly staff"),
    ),
    "nps": (
        _CUSTOMER,
        _f("responded_at", "Date", "日期", "datetime", True,
           synonyms=("date", "response date", "survey date", "submitted", "responded at",
                     "timestamp", *_ANSWERED_WORDS, "日期", "填写日期", "提交时间", "调查日期", "时间"),
           help_en="When the customer answered (YYYY-MM-DD)", help_zh="回答日期（YYYY-MM-DD）",
           example="2026-10-15"),
        _f("score", "Recommend score (0-10)", "推荐得分", "integer", True,
           synonyms=("score", "nps", "nps score", *_NET_PROMOTER, *_RECOMMENDATION,
                     "recommend score", "likelihood to recommend", "recommend", "rating", "nps answer", "nps rating",
                     "推荐得分", "推荐分", "推荐意愿", "nps得分", "得分",
                     "评分", "推荐可能性", "推荐分数", "推荐评分", "推荐打分", "推荐程度", "推荐指数", "nps分数",
                     "nps评分", "nps打分", "ltr", "推荐分值"),
           low=0, high=10, help_en="0-10: how likely to recommend us", help_zh="0-10 分：推荐我们的可能性",
           example="9"),
        _f("touchpoint", "Touchpoint", "触点",
           synonyms=("touchpoint", "touch point", "journey", "journey step", "interaction",
                     "触点", "接触点", "服务环节", "环节"),
           help_en="Where the customer met us", help_zh="客户接触点", example="Mobile app"),
        _REGION, _BRANCH, _CHANNEL, _SEGMENT, _PRODUCT, *_TIER_FIELDS,
        _f("comment", "Comment", "评论",
           synonyms=("comment", "comments", "verbatim", "feedback", "reason", "why", "score reason",
                     "reason for score", "nps reason", "nps comment", "nps comments", "nps feedback", "explanation",
                     "评论", "意见", "留言", "原因", "建议", "反馈", "其他意见", "其他建议", "其它意见", "其它建议"),
           help_en="Why they gave that score", help_zh="打分原因", example="Quick and easy"),
    ),
    "complaints": (
        _f("complaint_ref", "Complaint ID", "投诉编号",
           synonyms=("complaint id", "complaint no", "complaint number", "case id", "case number", "ticket",
                     "ticket id", "ticket number", "reference", "ref", "id", "number", "incident number",
                     "issue key", "key", "conversation id", "conversation number", "conversation",
                     "unique key", "incident id", "request id", "request number", "service request number",
                     # last: a column of codes under "Complaint" (IT00001) numbers the complaints
                     "complaint",
                     "投诉编号", "工单号", "工单编号", "留言编号", "诉求编号",
                     "投诉单号", "受理编号", "登记编号", "登记号", "案件编号", "编号"),
           help_en="Unique per complaint", help_zh="每条投诉唯一", example="K000001"),
        _CUSTOMER,
        _f("received_at", "Received", "投诉时间", "datetime", True,
           synonyms=("received", "received at", "date received", "date", "opened", "opened at", "created",
                     "created at", "logged", "submitted", "date time opened", "date opened", "opened on", "投诉时间",
                     "受理时间", "受理日期", "接收时间", "日期",
                     "投诉日期", "创建时间", "登记时间", "登记日期", "来电时间", "留言时间", "反映时间", "诉求时间"),
           help_en="When the complaint came in (YYYY-MM-DD HH:MM)",
           help_zh="投诉受理时间（YYYY-MM-DD HH:MM）", example="2026-10-15 09:30"),
        _CHANNEL, _BRANCH, _REGION, _PRODUCT, _SEGMENT, *_TIER_FIELDS,
        _f("cause", "Cause", "投诉原因",
           synonyms=("cause", "category", "reason", "case reason", "complaint reason", "reason for complaint",
                     "root cause", "complaint type", "issue", "issue type",
                     "complaint category", "type", "投诉原因", "原因", "投诉类别", "类别", "投诉类型", "投诉分类",
                     "一级分类", "一级类别", "诉求类别", "诉求分类", "留言分类",
                     "分类", "工单分类", "工单类型", "nature of complaint", "complaint nature", "nature",
                     "问题分类", "问题类型", "投诉问题"),
           help_en="Cause category; left blank, it is derived from the description",
           help_zh="投诉原因分类；留空则根据描述推断", example="Long waiting time"),
        _f("sub_cause", "Sub-cause", "子原因",
           synonyms=("sub cause", "subcause", "sub category", "subcategory", "sub issue", "subissue",
                     "detail", "descriptor", "子原因", "细分原因", "子类别", "二级分类", "问题类型", "问题细类"),
           help_en="Finer cause", help_zh="细分原因", example="Queue at counter"),
        _f("severity", "Severity", "严重程度",
           synonyms=("severity", "priority", "level", "严重程度", "等级", "优先级", "级别"),
           help_en="Low / Medium / High / Critical", help_zh="低/中/高/严重", example="Medium"),
        _f("status", "Status", "状态",
           synonyms=("status", "state", "company response to consumer", "company response", "case status",
                     "ticket status", "current status", "open/closed",
                     "状态", "处理状态", "办理状态", "工单状态", "办结状态", "处理结果"),
           help_en="Resolved / Open / In progress", help_zh="已解决/处理中/未处理", example="Resolved"),
        _f("resolved_at", "Resolved", "解决时间", "datetime",
           synonyms=("resolved", "resolved at", "date resolved", "closed", "closed at", "date closed",
                     "solved", "solved at", "date solved", "date time closed", "date time resolved", "closed on",
                     "resolved on", "resolution date", "date of resolution", "解决时间", "办结时间", "办结日期", "结案时间",
                     "关闭时间", "处理完成时间", "结案日期", "关闭日期", "解决日期", "答复时间", "回复时间", "办理时间"),
           help_en="When it was resolved (blank if open)", help_zh="解决时间（未解决留空）",
           example="2026-10-16 14:00"),
        _f("escalated", "Escalated", "是否升级", "boolean",
           synonyms=("escalated", "escalation", "是否升级", "升级"),
           help_en="Yes / No", help_zh="是/否", example="No"),
        _f("satisfaction_after", "Satisfaction after resolution", "处理后满意度", "number",
           synonyms=("satisfaction after resolution", "satisfaction after", "post resolution satisfaction",
                     "csat", "satisfaction", "satisfaction score", "satisfaction rating", "survey results",
                     "survey result", "rating", "conversation rating", "ticket rating", "customer rating",
                     "处理后满意度", "处理满意度", "回访满意度",
                     "客户满意度", "满意度评分", "满意度得分", "满意度", "满意度评价", "回访评价", "评价结果"),
           low=1, high=5, help_en="1-5, from the follow-up call", help_zh="1-5 分（回访）", example="4"),
        _f("description", "Description", "投诉内容",
           synonyms=("description", "details", "complaint", "complaint text", "consumer complaint narrative",
                     "short description", "first message", "initial message",
                     "complaint narrative", "narrative", "summary", "text", "subject", "ticket subject",
                     "title", "ticket title", "issue title", "case title",
                     "投诉内容", "诉求内容", "诉求描述", "工单内容", "反映问题", "描述", "详情", "内容",
                     "问题描述", "投诉描述", "投诉详情", "诉求详情", "留言详情", "留言内容", "来电内容", "反映内容",
                     "投诉事项", "诉求事项", "投诉标题", "留言主题", "留言标题"),
           help_en="What the customer said", help_zh="客户反映的问题", example="Waited 40 minutes"),
    ),
    "management_survey": (
        _f("manager", "Manager", "管理者",
           synonyms=("manager", "respondent", "name", "管理者", "经理", "填写人", "姓名"),
           help_en="Who gave the estimate", help_zh="填写的管理者", example="Zhang Wei"),
        _f("rated_at", "Date", "日期", "datetime",
           synonyms=("date", "rated at", "日期", "填写日期"),
           help_en="When (YYYY-MM-DD)", help_zh="日期（YYYY-MM-DD）", example="2026-10-01"),
        _f("item_code", "Item code", "题号", required=True,
           synonyms=("item code", "code", "item id", "question code", "题号", "题目编号", "指标编号"),
           help_en="The survey item it estimates (same code as the survey's E_/P_ columns)",
           help_zh="对应问卷题号（与问卷 E_/P_ 列一致）", example="S01"),
        _f("item_text", "Item", "题目",
           synonyms=("item", "question", "item text", "statement", "题目", "问题", "指标"),
           help_en="The item's wording", help_zh="题目内容", example="Modern-looking equipment"),
        _f("dimension", "Dimension", "维度",
           synonyms=("dimension", "servqual dimension", "group", "维度", "服务质量维度"),
           help_en="tangibles, reliability, responsiveness, assurance or empathy",
           help_zh="有形性、可靠性、响应性、保证性或移情性", example="tangibles"),
        _f("score", "Expected score", "预计期望分", "number", True,
           synonyms=("expected score", "estimate", "expected", "expectation", "score",
                     "预计期望分", "预计期望", "期望估计", "期望", "得分"),
           help_en="Management's estimate of what customers expect, on the item's scale",
           help_zh="管理者估计的客户期望分", example="6"),
        _f("scale_min", "Scale min", "量表最小值", "number",
           synonyms=("scale min", "min", "minimum", "量表最小值", "最小值"),
           help_en="Lowest point of the scale (default 1)", help_zh="量表最低分（默认 1）", example="1"),
        _f("scale_max", "Scale max", "量表最大值", "number",
           synonyms=("scale max", "max", "maximum", "量表最大值", "最大值"),
           help_en="Highest point of the scale (default 7)", help_zh="量表最高分（默认 7）", example="7"),
    ),
    "standards": (
        _f("standard", "Standard", "服务标准", required=True,
           synonyms=("standard", "service standard", "name", "服务标准", "标准", "标准名称"),
           help_en="Name of the service standard", help_zh="服务标准名称",
           example="Complaint resolution time"),
        _f("dimension", "Dimension", "维度",
           synonyms=("dimension", "servqual dimension", "维度"),
           help_en="SERVQUAL dimension", help_zh="服务质量维度", example="responsiveness"),
        _f("metric", "Metric", "指标", synonyms=("metric", "measure", "kpi", "指标", "衡量指标"),
           help_en="What is measured", help_zh="衡量指标", example="median hours to resolve"),
        _f("unit", "Unit", "单位", synonyms=("unit", "units", "单位"),
           help_en="Unit of the numbers", help_zh="单位", example="hours"),
        _f("better", "Better", "方向", "better", True,
           synonyms=("better", "direction", "higher or lower", "方向", "越高越好还是越低越好", "优劣方向"),
           help_en="higher or lower: which way is better", help_zh="higher（越高越好）或 lower（越低越好）",
           example="lower"),
        _f("management_view", "Management view", "管理层认知", "number",
           synonyms=("management view", "management expectation", "perceived expectation",
                     "管理层认知", "管理层认为的客户期望", "管理层预期"),
           help_en="What management believes customers expect", help_zh="管理层认为客户期望的水平",
           example="24"),
        _f("target", "Target", "标准值", "number",
           synonyms=("target", "standard value", "goal", "标准值", "目标", "目标值"),
           help_en="The standard set", help_zh="设定的标准值", example="48"),
        _f("promise", "Promise", "对外承诺", "number",
           synonyms=("promise", "promised", "communicated", "advertised", "对外承诺", "承诺", "承诺值"),
           help_en="What is promised to customers", help_zh="对客户的承诺", example="24"),
        _f("actual", "Actual", "实际值", "number",
           synonyms=("actual", "measured", "actual value", "result", "实际值", "实际", "实测值"),
           help_en="Measured value; blank when a rule measures it", help_zh="实测值；由规则计算时留空",
           example=""),
        _f("actual_rule", "Actual rule", "计算规则",
           synonyms=("actual rule", "rule", "measured by", "计算规则", "规则"),
           help_en="median_hours_to_resolve, share_within_sla, escalation_rate, nps or csi",
           help_zh="median_hours_to_resolve、share_within_sla、escalation_rate、nps 或 csi",
           example="median_hours_to_resolve"),
    ),
}

ACTUAL_RULES = ("median_hours_to_resolve", "share_within_sla", "escalation_rate", "nps", "csi")

# Questions sheet of a survey workbook: one row per rating column.
QUESTION_FIELDS = {
    "code": ("code", "column", "item code", "question code", "header", "题号", "列名", "题目编号", "编号"),
    "question": ("question", "item", "question text", "text", "statement", "题目", "问题", "题目内容"),
    "dimension": ("dimension", "group", "attribute group", "维度", "分组"),
    "kind": ("kind", "type", "question type", "类型", "题型"),
    "scale_min": ("scale min", "min", "minimum", "量表最小值", "最小值"),
    "scale_max": ("scale max", "max", "maximum", "量表最大值", "最大值"),
    "na_code": ("n/a code", "na code", "not applicable", "na", "不适用代码", "不适用"),
}

RATING_KIND_WORDS = {
    "satisfaction": ("satisfaction", "sat", "rating", "满意度", "满意"),
    "perception": ("perception", "perceived", "p", "感知", "实际感受"),
    "expectation": ("expectation", "expected", "e", "期望", "预期"),
    "importance": ("importance", "important", "i", "重要性", "重要程度", "重要"),
}
DIMENSION_WORDS = {
    "tangibles": ("tangibles", "tangible", "tangibility", "有形性", "有形"),
    "reliability": ("reliability", "reliable", "可靠性", "可靠"),
    "responsiveness": ("responsiveness", "responsive", "响应性", "响应"),
    "assurance": ("assurance", "保证性", "保证", "可信性"),
    "empathy": ("empathy", "移情性", "移情", "同理心", "关怀性"),
}
# Header prefixes (or suffixes) that mark the kind of a rating column.
_PREFIX_KIND = (
    (re.compile(r"^(?:E|EXP)[_\-\.\s:：]+(.+)$", re.I), "expectation"),
    (re.compile(r"^(?:P|PER)[_\-\.\s:：]+(.+)$", re.I), "perception"),
    (re.compile(r"^(?:I|IMP)[_\-\.\s:：]+(.+)$", re.I), "importance"),
    (re.compile(r"^期望[_\-\.\s:：]*(.+)$"), "expectation"),
    (re.compile(r"^感知[_\-\.\s:：]*(.+)$"), "perception"),
    (re.compile(r"^重要性[_\-\.\s:：]*(.+)$"), "importance"),
    (re.compile(r"^(.+?)[_\-\.\s:：]*[（(]?期望[)）]?$"), "expectation"),
    (re.compile(r"^(.+?)[_\-\.\s:：]*[（(]?感知[)）]?$"), "perception"),
    (re.compile(r"^(.+?)[_\-\.\s:：]*[（(]?重要性[)）]?$"), "importance"),
)
# A column is a rating when at least this share of its filled cells are numbers on a scale.
RATING_NUMERIC_SHARE = 0.95
COMMON_SCALES = ((1, 5), (1, 7), (1, 10), (0, 10))


def normalise_kind(kind: str) -> str:
    kind = (kind or "").strip().lower()
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise LoadError(f"unknown kind {kind!r}; use one of: survey, nps, complaints, management, standards")
    return kind


def normalise_header(text: str) -> str:
    """Lower case, no bracketed notes, no punctuation or spacing: 'Score (0–10)' -> 'score'."""
    text = re.sub(r"[\(（\[【][^\)）\]】]*[\)）\]】]", "", str(text))
    text = text.lower()
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", text)


def normalise_dimension(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    key = normalise_header(value)
    for dimension, words in DIMENSION_WORDS.items():
        if key in {normalise_header(w) for w in words}:
            return dimension
    return str(value).strip()


def normalise_rating_kind(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    key = normalise_header(value)
    for kind, words in RATING_KIND_WORDS.items():
        if key in {normalise_header(w) for w in words}:
            return kind
    return None


@dataclass(frozen=True)
class RatingColumn:
    """A rated item's column: which item, which kind of rating, on which scale."""

    column: str
    item_code: str
    item_text: str
    kind: str = "satisfaction"
    dimension: str | None = None
    scale_min: float = 1
    scale_max: float = 5
    na_code: float | None = None


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column feeds which field, plus a survey's rating columns."""

    kind: str
    fields: dict[str, str] = field(default_factory=dict)        # field name -> source column
    ratings: tuple[RatingColumn, ...] = ()
    overall_scale: tuple[float, float] | None = None            # survey overall satisfaction
    ignored: tuple[str, ...] = ()
    platform: str | None = None                                 # the survey tool that wrote the file
    platform_columns: tuple[str, ...] = ()                      # its own columns (among the ignored)
    constants: dict[str, str] = field(default_factory=dict)     # field -> one value for every row
    date_order: str | None = None                               # dmy | mdy for numeric dates
    # column -> {answer as written: score, None = not applicable}: answers given as words
    answers: dict[str, dict[str, float | None]] = field(default_factory=dict)
    choice_columns: tuple[str, ...] = ()                        # numbers that are a choice's position
    unsure_columns: tuple[str, ...] = ()                        # numbers: a choice or a rating? ask
    unknown_answers: dict[str, tuple[str, ...]] = field(default_factory=dict)   # words in no known set
    coded_names: tuple[str, ...] = ()                           # a name field fed choice numbers: ask

    def to_json(self) -> str:
        data = asdict(self)
        data["ratings"] = [asdict(r) for r in self.ratings]
        data["unknown_answers"] = {k: list(v) for k, v in self.unknown_answers.items()}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "ColumnMapping":
        data = json.loads(text)
        return cls(
            kind=normalise_kind(data["kind"]),
            fields=dict(data.get("fields") or {}),
            ratings=tuple(RatingColumn(**r) for r in data.get("ratings") or ()),
            overall_scale=tuple(data["overall_scale"]) if data.get("overall_scale") else None,
            ignored=tuple(data.get("ignored") or ()),
            platform=data.get("platform"),
            platform_columns=tuple(data.get("platform_columns") or ()),
            constants=dict(data.get("constants") or {}),
            date_order=data.get("date_order"),
            answers={str(column): {str(word): None if score is None else float(score)
                                   for word, score in dict(scores).items()}
                     for column, scores in (data.get("answers") or {}).items()},
            choice_columns=tuple(data.get("choice_columns") or ()),
            unsure_columns=tuple(data.get("unsure_columns") or ()),
            unknown_answers={str(k): tuple(v) for k, v in (data.get("unknown_answers") or {}).items()},
            coded_names=tuple(data.get("coded_names") or ()),
        )

    def with_field(self, name: str, column: str | None) -> "ColumnMapping":
        fields = {k: v for k, v in self.fields.items() if k != name and v != column}
        if column:
            fields[name] = column
        ratings = tuple(r for r in self.ratings if r.column != column)
        return replace(self, fields=fields, ratings=ratings).settled(column)

    def settled(self, column: str | None) -> "ColumnMapping":
        """The analyst said what a column is: it is no longer a question to ask."""
        return replace(self, unsure_columns=tuple(c for c in self.unsure_columns if c != column),
                       unknown_answers={k: v for k, v in self.unknown_answers.items() if k != column},
                       coded_names=tuple(c for c in self.coded_names if c != column))


def template_header(f: Field) -> str:
    """The bilingual header our templates use, e.g. 'Date 日期'."""
    return f"{f.label_en} {f.label_zh}"


def fields_of(kind: str) -> tuple[Field, ...]:
    return FIELDS[normalise_kind(kind)]


def field_named(kind: str, name: str) -> Field:
    for f in fields_of(kind):
        if f.name == name:
            return f
    raise LoadError(f"a {kind} file has no field {name!r}")


# --- matching headers to fields ---------------------------------------------------------------

def match_fields(kind: str, headers: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Field -> header, by exact synonym first, then by a synonym the header starts with."""
    candidates = []
    for f in fields_of(kind):
        words = _field_words(f)
        for position, header in enumerate(headers):
            key = normalise_header(header)
            if not key:
                continue
            if key in words:
                candidates.append((0, words.index(key), position, f.name, header))
            else:
                prefix = [i for i, w in enumerate(words) if len(w) >= 4 and key.startswith(w)]
                if prefix:
                    candidates.append((1, prefix[0], position, f.name, header))
    candidates.sort()
    taken_fields: set[str] = set()
    taken_headers: set[str] = set()
    matched: dict[str, str] = {}
    for _, _, _, name, header in candidates:
        if name in taken_fields or header in taken_headers:
            continue
        matched[name] = header
        taken_fields.add(name)
        taken_headers.add(header)
    return matched


def rating_kind_from_header(header: str) -> tuple[str, str] | None:
    """('expectation', 'S01') for 'E_S01' or '期望_S01'; None when the header has no marker."""
    text = str(header).strip()
    for pattern, kind in _PREFIX_KIND:
        m = pattern.match(text)
        if m and m.group(1).strip():
            return kind, m.group(1).strip()
    return None


# What Excel shows in a cell whose formula failed. Such a cell does not say what its column holds
# (a score column with some #N/A is still scores), so the profiles leave it out as they do a blank;
# validation still names it at its row as "not a number".
EXCEL_ERRORS = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")


def number_sql(column: str) -> str:
    """SQL reading a column of text as a DOUBLE (NULL when it is no number), full-width digits too:
    a score typed with a Chinese input method in full-width mode (１０, ９．５) is the number it shows.
    The full-width reading is tried only for the cells the plain cast leaves NULL."""
    quoted = quote_identifier(column)
    return (f"COALESCE(TRY_CAST({quoted} AS DOUBLE),"
            f" TRY_CAST(translate({quoted}, '０１２３４５６７８９．－＋　', '0123456789.-+ ') AS DOUBLE))")


def numeric_profile(table: pa.Table, columns: list[str]) -> dict[str, dict]:
    """For each column: filled cells, how many are numbers, how many whole numbers, min, max."""
    if not columns:
        return {}
    con = duckdb.connect()
    try:
        con.register("source_table", table.select(columns))
        # DuckDB's cast to DOUBLE skips surrounding spaces itself; cast each column once.
        casts = ", ".join(f"{quote_identifier(c)} AS t{i}, {number_sql(c)} AS r{i}" for i, c in enumerate(columns))
        # NaN and inf read as numbers but are no score (a spreadsheet's #NUM!, pandas' NaN)
        finite = ", ".join(f"t{i}, CASE WHEN isfinite(r{i}) THEN r{i} END AS v{i}" for i in range(len(columns)))
        parts = [f"count_if(trim(t{i}) <> '' AND NOT list_contains($errors, trim(t{i}))), count(v{i}),"
                 f" count_if(v{i} = round(v{i})), min(v{i}), max(v{i})" for i in range(len(columns))]
        row = con.execute(f"SELECT {', '.join(parts)} FROM (SELECT {finite} FROM (SELECT {casts}"
                          " FROM source_table))", {"errors": list(EXCEL_ERRORS)}).fetchone()
    finally:
        con.close()
    profile = {}
    for i, column in enumerate(columns):
        filled, numeric, whole, low, high = row[i * 5: i * 5 + 5]
        profile[column] = {"filled": filled, "numeric": numeric, "whole": whole, "min": low, "max": high}
    return profile


def infer_scale(low: float | None, high: float | None) -> tuple[float, float]:
    """The smallest common survey scale that holds every value seen."""
    low = 1 if low is None else low
    high = 5 if high is None else high
    for scale_min, scale_max in COMMON_SCALES:
        if low >= scale_min and high <= scale_max:
            return float(scale_min), float(scale_max)
    return float(min(low, 0)), float(high)


def infer_rating_scale(low: float | None, high: float | None) -> tuple[float, float, float | None]:
    """Scale and not-applicable code of a rating column from the values seen.

    Zeros on an otherwise 1-5 or 1-7 item are the usual 'not applicable' code of survey tools,
    so they are read as such; the analyst sees this in the mapping and can change it.
    """
    if low == 0 and high is not None and 1 <= high <= 7:
        scale_min, scale_max = infer_scale(1, high)
        return scale_min, scale_max, 0.0
    scale_min, scale_max = infer_scale(low, high)
    return scale_min, scale_max, None


def _looks_like_rating(p: dict) -> bool:
    if not p["filled"]:
        return False
    return (p["numeric"] / p["filled"] >= RATING_NUMERIC_SHARE and p["whole"] == p["numeric"]
            and p["min"] is not None and p["min"] >= 0 and p["max"] <= 10)


def _looks_like_fractional_rating(p: dict) -> bool:
    """Numbers on a rating's range (0-10), some with decimals: what _looks_like_rating leaves out."""
    if not p["filled"] or not p["numeric"]:
        return False
    return (p["numeric"] / p["filled"] >= RATING_NUMERIC_SHARE and p["whole"] < p["numeric"]
            and p["min"] is not None and p["min"] >= 0 and p["max"] <= 10)


# --- the questions sheet ----------------------------------------------------------------------

def is_questions_sheet(headers: tuple[str, ...] | list[str]) -> bool:
    keys = {normalise_header(h) for h in headers}
    has = {name for name, words in QUESTION_FIELDS.items() if keys & {normalise_header(w) for w in words}}
    # Management's estimates also list items with codes and scales, but carry who and a score.
    estimates = _exact_fields("management_survey", list(headers)) & {"manager", "score"}
    return ({"code", "question"} <= has and bool(has & {"kind", "dimension", "scale_min", "scale_max"})
            and not estimates)


def is_column_guide_sheet(headers: tuple[str, ...] | list[str]) -> bool:
    """The explanation sheet our templates carry ('Column', 'Meaning', ...)."""
    keys = {normalise_header(h) for h in headers}
    return bool(keys & {"meaning", "说明", "含义"}) and bool(keys & {"column", "列", "列名", "header"})


def _code_column(questions: SourceTable, response_headers) -> str | None:
    """The questions sheet's column whose values are the responses sheet's headers."""
    if not response_headers:
        return None
    wanted = {str(h).strip() for h in response_headers}
    best, best_hits = None, 1
    for header in questions.headers:
        values = [v.strip() for v in questions.table.column(header).to_pylist() if v and v.strip()]
        hits = sum(1 for v in values if v in wanted)
        if hits > best_hits and hits >= 0.5 * len(values):
            best, best_hits = header, hits
    return best


def looks_like_questions(questions: SourceTable, response_headers) -> bool:
    """A sheet listing the responses sheet's columns, one a row, with their texts or scales: a
    questions sheet by its content, whatever its headers say ('Item | Question | ...')."""
    code = _code_column(questions, response_headers)
    if code is None:
        return False
    keys = {normalise_header(h) for h in questions.headers if h != code}
    words = {normalise_header(w) for name, ws in QUESTION_FIELDS.items() if name != "code" for w in ws}
    return bool(keys & words)


# A header's language note ('Question (中文)', '题目（英文）', 'Text (EN)', 'Label_zh'): such a column
# holds a label in that language (loaders/labels.py), never the field itself when a plain one exists.
_LANGUAGE_NOTE = re.compile(r"[\(（\[【]\s*([^\)）\]】]+?)\s*[\)）\]】]\s*$")
_LANGUAGE_SUFFIX = re.compile(r"[\s_\-.]+(en|zh|cn|eng|english|chinese)\s*$", re.IGNORECASE)
LANGUAGE_WORDS = {
    "en": {"en", "eng", "english", "英文", "英语", "英"},
    "zh": {"zh", "cn", "zh-cn", "chinese", "中文", "汉语", "简体中文", "中", "简体"},
}


def label_language(header: str) -> str | None:
    """'en' or 'zh' when a header names a language ('Question (中文)', 'Text (EN)', 'Label_zh')."""
    header = str(header).strip()
    found = _LANGUAGE_NOTE.search(header) or _LANGUAGE_SUFFIX.search(header)
    if found is None:
        return None
    note = found.group(1).strip().lower()
    return next((language for language, words in LANGUAGE_WORDS.items() if note in words), None)


def question_columns(questions: SourceTable, response_headers=None) -> dict[str, str]:
    """The questions sheet's column of each QUESTION_FIELDS name. The code column is the one named
    so, or (by content) the one whose values are the responses sheet's headers; a plain header wins
    over one with a language note."""
    headers = sorted(questions.headers, key=lambda h: label_language(h) is not None)
    found: dict[str, str] = {}
    by_content = _code_column(questions, response_headers)
    if by_content is not None:
        found["code"] = by_content
    for name, words in QUESTION_FIELDS.items():
        if name in found:
            continue
        keys = {normalise_header(w) for w in words}
        for header in headers:
            if normalise_header(header) in keys and header not in found.values():
                found[name] = header
                break
    return found


def questions_from_sheet(questions: SourceTable, response_headers=None) -> dict[str, RatingColumn]:
    """Rating columns keyed by their header, from a questions sheet (question_columns)."""
    found = question_columns(questions, response_headers)
    if "code" not in found:
        raise LoadError(f"{questions.where()}: a questions sheet needs a 'Code' column naming each"
                        " rating column of the responses sheet")
    rows = questions.table.to_pylist()
    ratings: dict[str, RatingColumn] = {}
    for row in rows:
        code = (row.get(found["code"]) or "").strip()
        if not code:
            continue

        def cell(name):
            return (row.get(found[name]) or "").strip() if name in found else ""

        marked = rating_kind_from_header(code)
        kind = normalise_rating_kind(cell("kind")) or (marked[0] if marked else "satisfaction")
        stem = marked[1] if marked else code
        try:
            scale_min = float(cell("scale_min") or 1)
            scale_max = float(cell("scale_max") or 5)
            na_code = float(cell("na_code")) if cell("na_code") else None
        except ValueError as e:
            raise LoadError(f"{questions.where(row=row[ROW_COLUMN])}: scale and N/A code must be"
                            f" numbers ({e})") from e
        if scale_max <= scale_min:
            raise LoadError(f"{questions.where(row=row[ROW_COLUMN])}: scale max must be above scale min")
        ratings[code] = RatingColumn(
            column=code, item_code=stem, item_text=cell("question") or stem, kind=kind,
            dimension=normalise_dimension(cell("dimension")),
            scale_min=scale_min, scale_max=scale_max, na_code=na_code,
        )
    return ratings


# --- what a column holds ------------------------------------------------------------------------

# US states and territories: a column of these is a place (a region), never a complaint's status.
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND"
    " OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP AE AP AA".split())
PROFILE_SAMPLE_ROWS = 5000
WORDY_FIELDS = {"description", "comment", "cause", "sub_cause", "status"}
ID_FIELDS = {"customer_id", "respondent_id", "complaint_ref"}
# an id is short: a column whose cells run longer on average (a UUID is 36) is text about the row
ID_MAX_LENGTH = 64
# Fields that hold names: a column of choice numbers in one is a choice exported as numbers.
NAME_FIELDS = ("branch", "region", "channel", "product", "segment", "touchpoint")


# A cell that reads as a date or time in one of the forms loaders/dates.py parses.
DATE_LIKE = re.compile(
    r"^\s*(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{8})"
    r"([ T]\s*(上午|下午)?\s*\d{1,2}[:时]\d{2}.*)?\s*$|^\s*" + EXCEL_SERIAL + r"\s*$"
    # a month's English name (dates.MONTH_NAMED): 5-Oct-26, 5 October 2026, 05/Oct/26, Oct 5, 2026, the day
    # an ordinal or not (dates.ORDINAL_SUFFIX): 19th November 2023, Nov 1st, 2023
    r"|^\s*(?i:\d{1,2}(st|nd|rd|th)?[ \-/](jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[ \-/]\d{2,4}"
    r"|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}(st|nd|rd|th)?, \d{4})([ T]\d{1,2}:\d{2}.*)?\s*$")
# the words the validation reads as yes or no (loaders.validate TRUE_WORDS, FALSE_WORDS), 1 and 0
# among them: a case system's "Escalated" column of 0s and 1s is its flag
BOOLEAN_WORDS = frozenset({"yes", "no", "y", "n", "true", "false", "1", "0", "是", "否"})
# A cell that is a code (IT00001, K-2031, 60000123): a column of them numbers its rows, it says nothing
CODE_CELL = re.compile(r"^\s*[A-Za-z#]{0,8}[-_]?\d{3,}[A-Za-z]?\s*$")
# A cell that is a web address or a map position: never a name, however the header reads (a review
# site's "source" links to the review; a city's "Location" is "(40.69, -73.84)" or a dict of both)
PLACE_OR_LINK = re.compile(r"^\s*((https?://|www\.)\S+|[(\[]?\s*-?\d{1,3}\.\d+\s*,\s*-?\d{1,3}\.\d+\s*[)\]]?"
                           r"|\{.*\b(latitude|longitude|lat|lng)\b.*\})\s*$", re.IGNORECASE)


def content_profile(table: pa.Table, columns: list[str]) -> dict[str, dict]:
    """What the first rows of each column hold: filled cells, numbers, whole numbers, min, max,
    dates, yes/no words, US state codes, mean length. Enough to tell whether a column fits a field."""
    profile = {}
    for column in columns:
        values = [v.strip() for v in table.column(column).slice(0, PROFILE_SAMPLE_ROWS).to_pylist()
                  if v is not None and v.strip() and v.strip() not in EXCEL_ERRORS]
        numbers = []
        for v in values:
            try:
                number = float(v)
            except ValueError:
                continue
            if number == number and abs(number) != float("inf"):
                numbers.append(number)
        profile[column] = {
            "filled": len(values), "numeric": len(numbers),
            "whole": sum(1 for n in numbers if n == round(n)),
            "min": min(numbers) if numbers else None, "max": max(numbers) if numbers else None,
            "numbers": numbers,
            "dated": sum(1 for v in values if DATE_LIKE.match(v)),
            "booleans": sum(1 for v in values if v.lower() in BOOLEAN_WORDS),
            "states": sum(1 for v in values if v.upper() in US_STATES),
            "links": sum(1 for v in values if PLACE_OR_LINK.match(v)),
            "codes": sum(1 for v in values if CODE_CELL.match(v)),
            "length": sum(len(v) for v in values) / len(values) if values else None,
        }
    return profile


def fits(f: Field, p: dict | None) -> bool:
    """Whether a column's content can be this field: a header synonym alone never maps a column
    of text into a number, or a column of US states into a status."""
    if p is None or not p["filled"]:
        return True
    if p.get("answers") and f.kind not in ("number", "integer"):
        # answers on a rating scale are scores, never a branch or a comment; but a column its header
        # calls an id whose numbers never repeat (1, 2, 3, N/A) numbers the rows, as no answers do
        numbers = p.get("numbers") or ()
        return f.name in ID_FIELDS and len(numbers) >= 2 and len(set(numbers)) == len(numbers)
    if f.name in ID_FIELDS and (p["length"] or 0) > ID_MAX_LENGTH:
        return False   # a chat export's "Conversation" holds the talk itself, not its id
    filled = p["filled"]
    if f.kind in ("number", "integer"):
        if p["numeric"] < 0.9 * filled:
            return False
        # a few cells with decimals (8.5 for a 0-10 score) are bad rows for validation to name
        if f.kind == "integer" and p["whole"] < 0.9 * p["numeric"]:
            return False
        if f.name in ("score", "likelihood_to_recommend") and len(p.get("numbers") or ()) >= NPS_SEEN_ROWS \
                and set(p["numbers"]) <= {0, 1}:
            return False   # 0s and 1s are a yes or no ("Recommended"), no 0-10 answer: all would be detractors
        if f.low is not None and f.high is not None and p.get("numbers"):
            # A few cells off the scale are bad rows for validation to name, not another field.
            inside = sum(1 for n in p["numbers"] if f.low <= n <= f.high)
            return inside >= 0.5 * len(p["numbers"])
        return True
    if f.kind == "datetime":
        # Most cells must read as dates; the few that do not are bad rows for validation to name.
        return p["dated"] >= 0.5 * filled
    if f.kind == "boolean":
        return p["booleans"] >= 0.9 * filled
    if f.name == "status" and p["states"] >= 0.8 * filled:
        return False
    if (f.name in NAME_FIELDS or f.name in WORDY_FIELDS) and p.get("links", 0) >= 0.8 * filled:
        return False
    if f.name in ("description", "comment") and p.get("codes", 0) >= 0.9 * filled:
        return False   # a column of codes under "Complaint" is its id, not what the customer said
    if f.name in WORDY_FIELDS and p["numeric"] >= 0.95 * filled:
        return False
    return True


# Words a question's text carries when it asks for a field (survey tools write whole questions).
# NPS tools ask for the comment as the reason for the score ("What is the primary reason for your
# score?", 您打这个分数的原因是什么？); a reason asked alone ("the reason for your visit") is a choice,
# so a reason counts only beside a score or a rating.
_RECOMMENDS = (("recommend",), ("推荐",), ("netpromoter",))
QUESTION_KEYWORDS = {
    "likelihood_to_recommend": _RECOMMENDS,
    "score": _RECOMMENDS,
    "overall_satisfaction": (("overall", "satisf"), ("总体", "满意"), ("整体", "满意"), ("总的来说", "满意"),
                             ("overall", "rate"), ("overall", "experience"), ("总体", "评价"), ("整体", "评价")),
    "comment": (("comment",), ("suggest",), ("better",), ("anythingelse",), ("tellus",), ("feedback",),
                ("建议",), ("意见",), ("留言",), ("评价", "说"),
                ("why",), ("reason", "score"), ("reason", "rating"), ("improve",), ("explain",),
                ("whatwouldmake",), ("describe",), ("ownwords",),
                ("为什么",), ("理由",), ("原因", "分"), ("改进",), ("改善",)),
    "branch": (("branch",), ("网点",), ("门店",), ("支行",), ("分行",), ("营业厅",),
               ("store",), ("outlet",), ("分店",), ("店铺",)),
}
LONG_NAME = 16
LONG_NAME_CJK = 6
CJK = re.compile(r"[\u3400-\u9fff]")


# A header that starts with a name or an id field's word names that field only when what follows
# says which of its forms it is ("Customer ID", "Branch name", "Product type"): "Customer
# satisfaction", "Customer since", "Customer interactions", "Ticket type", "Branch manager" and
# "Product rating" are other things about the customer, the ticket, the branch or the product.
QUALIFIERS = {
    "id": ("id", "no", "nr", "num", "number", "code", "key", "ref", "reference", "name", "fullname", "email",
           "mail", "emailaddress", "phone", "phonenumber", "mobile", "tel", "telephone"),
    "name": ("id", "no", "nr", "num", "number", "code", "key", "name", "title", "label", "type", "category",
             "group", "line", "family", "visited"),
    # a description's word is a complaint's or an issue's: "Complaint text" is one, "Complaint date",
    # "Complaint status" and "Complaint outcome" are not
    "text": ("text", "texts", "details", "detail", "narrative", "description", "content", "summary", "body",
             "message", "notes", "words", "verbatim"),
    "category": ("type", "types", "category", "categories", "code", "group", "class", "classification", "area",
                 "reason", "kind"),
}
QUALIFIED = {**dict.fromkeys(ID_FIELDS, "id"), **dict.fromkeys(NAME_FIELDS, "name"), "description": "text",
             "cause": "category"}
# what a place's header may go on with to say what kind of place it is, not which one
KINDS_OF_PLACE = ("type", "category", "group", "class", "kind", "line", "family")
# Words a header may begin with to say whose its rest is: "Complaint date", "Ticket status", "Issue
# description", "Customer comments" are the date, the status, the description and the comment
SUBJECT_WORDS = ("complaint", "complaints", "ticket", "case", "issue", "problem", "request", "customer", "client",
                 "consumer", "incident", "投诉", "工单", "客户")


def _qualifies(field_name: str, word: str, rest: str) -> bool:
    """Whether `rest`, what a header holds after `word` (a word of `field_name`), names a form of
    that field (QUALIFIERS). Only a bare noun needs one: a word that already says its form ("customer
    id", 客户编号) and the other fields' words ("Closed time", "Satisfaction score") may be followed by
    anything. A rest of digits or Chinese (a bilingual header) always qualifies."""
    group = QUALIFIED.get(field_name)
    if group is None or CJK.search(word) or word.endswith(QUALIFIERS[group]):
        return True
    rest = re.sub(r"[0-9\u3400-\u9fff]+", "", rest)
    if field_name == "branch" and rest in KINDS_OF_PLACE:
        return False   # "Location Type" (Street/Sidewalk, Residential Building) is what kind of place, not which
    return not rest or rest in QUALIFIERS[group]


# A Chinese question addresses the respondent before naming the field: 您的意见, 你的建议, 您对我们的建议
ADDRESSED = re.compile(r"^(请问)?[您你](对我们)?的")


def _match(kind: str, names: list[tuple[str, str]], exclude: set[tuple[str, str]] = frozenset()
           ) -> dict[str, str]:
    """Field -> header, by exact synonym, then a synonym the name starts with, then (for a long
    question text) the words the question carries. `names` pairs each header with the text to match."""
    candidates = []
    for f in fields_of(kind):
        words = _field_words(f)
        for position, (header, name) in enumerate(names):
            if (f.name, header) in exclude:
                continue
            key = ADDRESSED.sub("", normalise_header(name))
            if not key:
                continue
            if key in words:
                candidates.append((0, words.index(key), position, f.name, header))
                continue
            subject = next((w for w in SUBJECT_WORDS if key.startswith(w) and key[len(w):] in words), None)
            if subject is not None:
                # after the whole header, before a word it begins with: "Complaint date" is the date
                candidates.append((0.5, words.index(key[len(subject):]), position, f.name, header))
                continue
            prefix = [i for i, w in enumerate(words) if len(w) >= 4 and key.startswith(w)
                      and _qualifies(f.name, w, key[len(w):])]
            if prefix and len(key) < LONG_NAME * 2:
                candidates.append((1, prefix[0], position, f.name, header))
            elif len(key) >= (LONG_NAME_CJK if CJK.search(key) else LONG_NAME):
                for rank, needed in enumerate(QUESTION_KEYWORDS.get(f.name, ())):
                    if all(n in key for n in needed):
                        candidates.append((2, rank, position, f.name, header))
                        break
    candidates.sort()
    taken_fields: set[str] = set()
    taken_headers: set[str] = set()
    matched: dict[str, str] = {}
    for _, _, _, name, header in candidates:
        if name in taken_fields or header in taken_headers:
            continue
        matched[name] = header
        taken_fields.add(name)
        taken_headers.add(header)
    return matched


def match_fields(kind: str, headers: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Field -> header, by exact synonym first, then by a synonym the header starts with."""
    return _match(kind, [(h, h) for h in headers])


ASKS_FOR_NAME = re.compile(r"[?？]\s*$|\b(which|what|where)\b|哪|什么|是否", re.IGNORECASE)


def _rated_question(kind: str, name: str, text: str, p: dict | None) -> bool:
    """A question that only mentions a name field ('The branch was clean') and is answered on a
    rating scale is an item, not the branch: the words a question carries name a field only when
    its answers are not scores."""
    if name not in NAME_FIELDS or not p or not p["filled"] or not _looks_like_rating(p):
        return False
    if ASKS_FOR_NAME.search(str(text)):
        # 'Which branch did you visit?' answered 1, 2, 3 is a choice's numbers: loaders ask about
        # those (coded_names), they are no score; but a question that asks for a rating and for no
        # choice is one whatever its punctuation ('How likely are you to recommend this branch?')
        rating, choice = question_words(text)
        if not rating or choice:
            return False
    key = normalise_header(text)
    if key in _field_words(field_named(kind, name)):
        return False
    return len(key) >= (LONG_NAME_CJK if CJK.search(key) else LONG_NAME)


# A column a generic header ("Rating", "Score") names the 0-10 recommendation score, whose many
# answers all lie from 1 to 5, is a 1-5 rating or stars: an NPS question's answers reach 0 or above 5
# (its promoters give 9 or 10). A header that says recommend or NPS keeps it, whatever its answers.
NPS_SEEN_ROWS = 20
NPS_WORDS = ("nps", "recommend", "likely", "likelihood", "推荐", "可能")


def _stars_for_a_score(name: str, text: str, p: dict | None) -> bool:
    if name not in ("score", "likelihood_to_recommend") or not p or len(p.get("numbers") or ()) < NPS_SEEN_ROWS:
        return False
    numbers = p["numbers"]
    if any(word in str(text).lower() for word in NPS_WORDS):
        return False
    return min(numbers) >= 1 and max(numbers) <= 5


def match_checked(kind: str, names: list[tuple[str, str]], profile: dict[str, dict],
                  fixed: dict[str, str] | None = None) -> dict[str, str]:
    """Field -> header for the columns whose content fits the field; a misfit gives way to the next
    header that names the field. `fixed` fields (a platform's date and id) are taken as given."""
    fixed = dict(fixed or {})
    names = [(h, n) for h, n in names if h not in fixed.values()]
    spoken = dict(names)
    exclude: set[tuple[str, str]] = set()
    for _ in range(8):
        matched = _match(kind, names, exclude)
        for name in fixed:
            matched.pop(name, None)
        misfits = {(name, header) for name, header in matched.items()
                   if not fits(field_named(kind, name), profile.get(header))
                   or _rated_question(kind, name, spoken.get(header, header), profile.get(header))
                   or _stars_for_a_score(name, spoken.get(header, header), profile.get(header))}
        if not misfits:
            return {**fixed, **matched}
        exclude |= misfits
    return {**fixed, **{n: h for n, h in matched.items() if (n, h) not in exclude}}


# --- which kind of file --------------------------------------------------------------------------

@dataclass(frozen=True)
class KindEvidence:
    """How well a file fits one kind: a score, the reasons, and what that kind would leave out."""

    kind: str
    score: float
    reasons: tuple[str, ...]
    dropped_ratings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Reading:
    """Everything the mapping needs to know about a file's columns, computed once."""

    platform: PlatformColumns | None
    names: list[tuple[str, str]]            # (header, text to match fields on)
    profile: dict[str, dict]                # columns of answers profiled as their scores
    rating_like: tuple[str, ...]            # columns of small whole numbers on a scale (or answers)
    answers: dict[str, ColumnAnswers] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)   # numbers: rating | choice | count | unsure


# Survey tools that can export a choice question's answer as the choice's position.
CODED_CHOICE_PLATFORMS = {"qualtrics", "surveymonkey", "wjx", "tencent"}
# A column with more distinct cells than this is not read for answers.
ANSWER_SCAN_DISTINCT = 40


def _reading(source: SourceTable, declared: dict[str, float | None] | None = None) -> _Reading:
    platform = detect_platform(source.headers)
    columns = platform_columns(source, platform) if platform else None
    texts = source.texts or (None,) * len(source.headers)
    names = []
    for header, text in zip(source.headers, texts):
        if columns is not None and header in columns.own:
            continue
        if columns is not None and header in columns.questions:
            names.append((header, columns.questions[header] if columns.items[header] == columns.questions[header]
                          or not text else text))
        else:
            # a plain spreadsheet numbers its questions too: the text after the number names the field
            names.append((header, NUMBERING.sub("", header, count=1) or header))
    profile = content_profile(source.table, list(source.headers))
    skip = set(columns.own) | {columns.date_column, columns.id_column} if columns else set()
    worded = {}
    for header, _ in names:
        p = profile[header]
        if header in skip or not p["filled"] or p["numeric"] == p["filled"]:
            continue
        # the first rows tell free text at once; only a column of few answers is read whole
        if len(pc.unique(source.table.column(header).slice(0, PROFILE_SAMPLE_ROWS))) > ANSWER_SCAN_DISTINCT:
            continue
        distinct = pc.unique(source.table.column(header))
        if len(distinct) <= ANSWER_SCAN_DISTINCT:
            worded[header] = distinct.to_pylist()
    answers = read_answer_columns(worded, declared)
    for header, read in answers.items():
        if not read.unknown:
            profile[header] = _answered_profile(source.table, header, read)
        else:
            # answers on a scale the loaders do not know are still answers: never a comment or a name
            profile[header] = {**profile[header], "answers": True}
    rating_like = [h for h, _ in names if _looks_like_rating(profile[h]) and h not in skip]
    roles = {}
    matrix = _matrix_columns(source, columns)
    codes_choices = columns is not None and columns.platform.name in CODED_CHOICE_PLATFORMS
    for header in rating_like:
        if header in answers:
            continue   # words or numbered answers on a rating scale
        p = profile[header]
        roles[header] = numbers_role(_question_text(header, columns, source), p["min"], p["max"],
                                     header in matrix, codes_choices)
    rating_like = tuple(h for h in rating_like if roles.get(h) not in ("choice", "count"))
    # numbers on a rating's range with decimals (4.5): half-point ratings, or means copied in? asked,
    # never left out unsaid; not evidence of a survey, since hours and amounts look the same
    for header, _ in names:
        if header not in skip and header not in answers and _looks_like_fractional_rating(profile[header]):
            roles[header] = "unsure"
    return _Reading(columns, names, profile, rating_like, answers, roles)


def _question_text(header: str, columns: PlatformColumns | None, source: SourceTable) -> str:
    """The whole question a column asks (a matrix row with its question), to read its words."""
    texts = dict(zip(source.headers, source.texts or ()))
    parts = [header, texts.get(header) or ""]
    if columns is not None and header in columns.questions:
        parts += [columns.questions[header], columns.items[header]]
    return " ".join(dict.fromkeys(p for p in parts if p))


def _matrix_columns(source: SourceTable, columns: PlatformColumns | None) -> set[str]:
    """Columns that are rows of one question with several rows: a matrix (Likert) question, by the
    platform's layout, by a shared question number (问卷星's `3、(环境整洁)`), or, in a file of
    plain headers, three or more columns of small whole numbers side by side."""
    if columns is not None:
        split = {h for h in columns.items if columns.items[h] != columns.questions[h]}
        numbers: dict[str, list[str]] = {}
        for header in source.headers:
            match = QUESTION_NUMBER.match(header)
            if match:
                numbers.setdefault(match[1], []).append(header)
            for separator in (" - ", " [", ":", "："):
                if separator in header:
                    numbers.setdefault(separator + header.rsplit(separator, 1)[0], []).append(header)
        return split | {h for group in numbers.values() if len(group) >= 2 for h in group}
    return set(source.headers)


QUESTION_NUMBER = re.compile(r"^\s*(?:Q\s*)?(\d+)\s*[、.．:：)）]")


def _answered_profile(table: pa.Table, column: str, read: ColumnAnswers) -> dict:
    """A column of answers profiled as the scores they stand for (not-applicable cells as blanks)."""
    scores = {k.strip(): v for k, v in read.scores.items()}
    numbers, filled = [], 0
    for value in table.column(column).slice(0, PROFILE_SAMPLE_ROWS).to_pylist():
        if value is None or not value.strip():
            continue
        value = value.strip()
        if value in scores:
            if scores[value] is None:
                continue
            numbers.append(scores[value])
        else:
            try:
                numbers.append(float(value))
            except ValueError:
                pass
        filled += 1
    return {"filled": filled, "numeric": len(numbers), "whole": sum(1 for n in numbers if n == round(n)),
            "min": min(numbers) if numbers else None, "max": max(numbers) if numbers else None,
            "numbers": numbers, "dated": 0, "booleans": 0, "states": 0, "length": None, "answers": True}


def _platform_fixed(reading: _Reading, kind: str) -> dict[str, str]:
    columns = reading.platform
    if columns is None or kind not in ("survey", "nps"):
        return {}
    fixed = {}
    if columns.date_column:
        fixed["responded_at"] = columns.date_column
    if columns.id_column and kind == "survey":
        fixed["respondent_id"] = columns.id_column
    return fixed


def _kind_fields(reading: _Reading, kind: str) -> dict[str, str]:
    return match_checked(kind, reading.names, reading.profile, _platform_fixed(reading, kind))


def kind_evidence(source: SourceTable, has_questions: bool = False,
                  reading: _Reading | None = None) -> list[KindEvidence]:
    """Each kind's evidence, best first. Survey: columns of ratings, a survey tool's layout, a
    questions sheet; NPS: a 0-10 score; complaints: received time, descriptions, causes, resolution."""
    reading = reading or _reading(source)
    evidence = []
    fields_of_kind = {kind: _kind_fields(reading, kind) for kind in ("survey", "nps", "complaints")}
    for kind, fields in fields_of_kind.items():
        used = set(fields.values())
        # a column of one number throughout (a help desk's "Summation column" of 1s) says nothing of
        # a survey: counted neither as evidence nor as ratings another kind would leave out
        dropped = tuple(h for h in reading.rating_like if h not in used
                        and reading.profile[h]["min"] != reading.profile[h]["max"])
        reasons, score = [], 0.0
        if kind == "survey":
            # columns answered with words the loaders ask about are ratings all the same
            dropped += tuple(h for h, read in reading.answers.items() if read.unknown and h not in used
                             and h not in dropped)
            ratings = len(dropped) if len(dropped) >= 2 else 0
            if len(dropped) == 1 and _asks_for_a_rating(dropped[0], reading, source):
                ratings = 1   # a lone question that asks for a rating (How satisfied …)
            score += 2 * min(ratings, 6)
            if ratings:
                reasons.append(f"{ratings} columns of ratings")
            # numbers with decimals on a rating's range: weaker evidence (hours and amounts look the
            # same), and asked about (choice_or_rating) when the survey is chosen
            halves = [h for h, role in reading.roles.items() if role == "unsure" and h not in reading.rating_like
                      and h not in used]
            if len(halves) >= 2:
                score += min(len(halves), 6)
                reasons.append(f"{len(halves)} columns of numbers with decimals on a rating's range")
            if reading.platform:
                score += 4
                reasons.append(f"a {reading.platform.platform.label} export")
            if has_questions:
                score += 4
                reasons.append("a questions sheet")
            for name, weight in (("overall_satisfaction", 1.5), ("likelihood_to_recommend", 1), ("responded_at", 0.5)):
                if name in fields:
                    score += weight
                    reasons.append(f"'{fields[name]}' as {field_named(kind, name).label_en.lower()}")
            rated = fields.get("overall_satisfaction")
            if "comment" in fields and rated is not None and rated != fields_of_kind["nps"].get("score"):
                # stars with the customer's words are a review as much as a complaint with a score:
                # a review export (stars, text, date) is asked about, not taken for a log; a 0-10
                # score with a comment stays NPS responses
                score += 1.5
                reasons.append(f"'{fields['comment']}' as {field_named(kind, 'comment').label_en.lower()}")
            dropped = ()
        elif kind == "nps":
            if "score" in fields:
                score += 3 + (1 if "responded_at" in fields else 0) + (0.5 if "comment" in fields else 0)
                reasons.append(f"'{fields['score']}' as a 0-10 score")
        else:
            weights = {"received_at": 1, "description": 3, "cause": 2, "resolved_at": 2, "status": 1,
                       "sub_cause": 1, "severity": 1, "escalated": 1, "satisfaction_after": 0.5}
            for name, weight in weights.items():
                header = fields.get(name)
                if header is None:
                    continue
                if name == "description" and (reading.profile[header]["length"] or 0) < 12:
                    weight = 1   # a short label is a category more than a description
                score += weight
                reasons.append(f"'{header}' as {field_named(kind, name).label_en.lower()}")
            if "complaint_ref" in fields and normalise_header(fields["complaint_ref"]) != "id":
                score += 1
                reasons.append(f"'{fields['complaint_ref']}' as complaint id")
        evidence.append(KindEvidence(kind, score, tuple(reasons), dropped))
    return sorted(evidence, key=lambda e: -e.score)


def detect_kind(source: SourceTable, has_questions: bool = False, reading: _Reading | None = None) -> str:
    """The kind of file from its evidence; KindDecisionNeeded when two kinds are close or the best
    would leave columns of ratings out, naming the candidates and the --kind that decides."""
    headers = list(source.headers)
    matched = {kind: match_fields(kind, headers) for kind in ("management_survey", "standards")}
    if "better" in matched["standards"] and ({"target", "promise"} & set(matched["standards"])):
        return "standards"
    mgmt = matched["management_survey"]
    if "item_code" in mgmt and "score" in mgmt and "manager" in mgmt:
        return "management_survey"
    evidence = kind_evidence(source, has_questions, reading)
    best, second = evidence[0], evidence[1]
    if best.score < 2:
        raise KindDecisionNeeded(
            f"{source.where()}: cannot tell which kind of file this is from its headers and content ("
            + ", ".join(headers[:12]) + "). Use the template for its kind, or name the kind"
            " (--kind survey|nps|complaints|management|standards)", tuple(evidence))
    if best.dropped_ratings and len(best.dropped_ratings) >= 2:
        raise KindDecisionNeeded(
            f"{source.where()}: this looks most like {KIND_WORDS[best.kind]} ({'; '.join(best.reasons)}),"
            f" but that would leave out {len(best.dropped_ratings)} columns of ratings ("
            + ", ".join(best.dropped_ratings[:6]) + ("…" if len(best.dropped_ratings) > 6 else "")
            + "). Say which it is: " + " or ".join(f"--kind {KIND_FLAGS[e.kind]}" for e in evidence if e.score > 0),
            tuple(evidence))
    if second.score > 0 and second.score >= 0.75 * best.score:
        raise KindDecisionNeeded(
            f"{source.where()}: this could be {KIND_WORDS[best.kind]} ({'; '.join(best.reasons)}) or"
            f" {KIND_WORDS[second.kind]} ({'; '.join(second.reasons)}). Say which it is:"
            f" --kind {KIND_FLAGS[best.kind]} or --kind {KIND_FLAGS[second.kind]}", tuple(evidence))
    return best.kind


KIND_WORDS = {"survey": "a satisfaction survey", "nps": "NPS responses", "complaints": "a complaint log",
              "management_survey": "management's estimates", "standards": "service standards"}
KIND_FLAGS = {"survey": "survey", "nps": "nps", "complaints": "complaints", "management_survey": "management",
              "standards": "standards"}


def _exact_fields(kind: str, headers: list[str]) -> set[str]:
    keys = {normalise_header(h) for h in headers}
    return {f.name for f in fields_of(kind) if keys & set(_field_words(f))}


def _field_words(f: Field) -> list[str]:
    """Every normalised header that names this field, most specific first."""
    words = [normalise_header(s) for s in (f.name, f.label_en, f.label_zh, template_header(f),
                                           f.label_zh + f.label_en, *f.synonyms)]
    return [w for w in words if w]


def _item_identity(header: str, reading: _Reading, source: SourceTable) -> tuple[str, str]:
    """(item code, item text): a tool's code where it writes one (Qualtrics, a short header),
    else the question's own text, without the tool's numbering."""
    columns = reading.platform
    if columns is not None and header in columns.items:
        text = columns.items[header]
        code = header if columns.platform.name == "qualtrics" else text
        return code, text
    texts = dict(zip(source.headers, source.texts or ()))
    text = texts.get(header) or header
    return header, NUMBERING.sub("", text, count=1) or text


def _asks_for_a_rating(header: str, reading: _Reading, source: SourceTable) -> bool:
    """A lone column whose question asks for a rating on a survey's scale (How satisfied …, 满意) up to
    7: on 0-10, 'how likely' is the NPS question."""
    p = reading.profile[header]
    return (p["max"] is not None and p["max"] <= 7
            and question_words(_question_text(header, reading.platform, source))[0])


def _rating_headers(source: SourceTable, exclude: set[str], reading: _Reading,
                    least: int = 2) -> list[RatingColumn]:
    rest = [h for h, _ in reading.names if h not in exclude
            and not (reading.platform and h in (reading.platform.date_column, reading.platform.id_column))
            and reading.roles.get(h) not in ("choice", "count", "unsure")]
    candidates = [h for h in rest if (_looks_like_rating(reading.profile[h]) or rating_kind_from_header(h))
                  and not (h in reading.answers and reading.answers[h].unknown)]
    profile = numeric_profile(source.table, [h for h in candidates if h not in reading.answers])
    ratings = []
    for header in candidates:
        p = reading.profile[header] if header in reading.answers else profile[header]
        if not _looks_like_rating(p):
            continue
        marked = rating_kind_from_header(header)
        code, text = _item_identity(header, reading, source)
        kind, code = (marked[0], marked[1]) if marked else ("satisfaction", code)
        if header in reading.answers:
            # answers on a known set (or numbered by the tool): the set's scale, not the values seen
            (scale_min, scale_max), na_code = reading.answers[header].scale, None
        else:
            scale_min, scale_max, na_code = infer_rating_scale(p["min"], p["max"])
        ratings.append(RatingColumn(column=header, item_code=code, item_text=text if not marked else code,
                                    kind=kind, scale_min=scale_min, scale_max=scale_max, na_code=na_code))
    marked_count = sum(1 for r in ratings if r.kind != "satisfaction")
    # columns asked about (numbers with decimals, a choice's numbers or scores) may be items too
    asked = sum(1 for h in rest if reading.roles.get(h) == "unsure")
    # a lone column whose question asks for a rating (How satisfied …, 满意) is one
    asks = any(_asks_for_a_rating(r.column, reading, source) for r in ratings)
    return ratings if len(ratings) + asked >= least or marked_count or asks else []


def infer_mapping(source: SourceTable, kind: str = "auto",
                  questions: SourceTable | None = None,
                  declared: dict[str, float | None] | None = None) -> ColumnMapping:
    """The mapping the loaders propose for a file; the analyst may correct it before importing.
    `declared`: the analyst's scores for answers given as words (None: not applicable)."""
    headers = list(source.headers)
    reading = _reading(source, declared)
    if kind in (None, "", "auto"):
        kind = detect_kind(source, questions is not None, reading)
    else:
        kind = normalise_kind(kind)
    if kind in ("management_survey", "standards"):
        fields = match_checked(kind, [(h, h) for h in headers], reading.profile)
    else:
        fields = _kind_fields(reading, kind)
    ratings: tuple[RatingColumn, ...] = ()
    overall_scale = None
    if kind == "survey":
        if questions is not None:
            declared_items = questions_from_sheet(questions, headers)
            for header in headers:
                if header in declared_items:
                    fields = {k: v for k, v in fields.items() if v != header}
            ratings = tuple(declared_items[h] for h in headers if h in declared_items)
            missing = [code for code in declared_items if code not in headers]
            if missing:
                raise LoadError(f"{questions.where()}: the questions sheet names columns the responses"
                                " sheet does not have: " + ", ".join(missing[:10]))
        else:
            ratings = tuple(_rating_headers(source, set(fields.values()), reading))
            if not ratings:
                # a lone column of small whole numbers in a survey: a rating, or a count? asked,
                # never left out unsaid
                lone = [r.column for r in _rating_headers(source, set(fields.values()), reading, least=1)]
                reading.roles.update(dict.fromkeys(lone, "unsure"))
        overall = fields.get("overall_satisfaction")
        if overall in reading.answers:
            overall_scale = reading.answers[overall].scale
        elif overall:
            p = numeric_profile(source.table, [overall])[overall]
            overall_scale = infer_scale(p["min"], p["max"])
    used = set(fields.values()) | {r.column for r in ratings}
    ignored = tuple(h for h in headers if h not in used)
    platform = reading.platform
    own = tuple(h for h in ignored if platform and h in platform.own)
    date_order = _date_order(source, fields, platform)
    scored = {r.column for r in ratings} | {column for name, column in fields.items()
                                            if field_named(kind, name).kind in ("number", "integer")}
    answers = {h: dict(reading.answers[h].scores) for h in headers
               if h in scored and h in reading.answers and not reading.answers[h].unknown}
    # what is still open matters only where the file holds ratings: a survey (and an NPS score)
    open_roles = kind == "survey" and questions is None
    unknown = {h: reading.answers[h].unknown for h in ignored
               if open_roles and h in reading.answers and reading.answers[h].unknown}
    # a choice question answered with the choice's number fills a name field (branch 2) with numbers
    coded_names = tuple(column for name, column in fields.items() if name in NAME_FIELDS
                        and platform is not None and platform.platform.name in CODED_CHOICE_PLATFORMS
                        and _looks_like_rating(reading.profile[column]))
    return ColumnMapping(kind=kind, fields=fields, ratings=ratings, overall_scale=overall_scale, coded_names=coded_names,
                         ignored=ignored, platform=platform.platform.name if platform else None,
                         platform_columns=own, date_order=date_order, answers=answers,
                         choice_columns=tuple(h for h in ignored if reading.roles.get(h) == "choice"),
                         unsure_columns=tuple(h for h in ignored if open_roles and reading.roles.get(h) == "unsure"),
                         unknown_answers=unknown)


MONTH_FIRST_PLATFORMS = {"surveymonkey", "microsoft_forms"}


def _date_order(source: SourceTable, fields: dict[str, str], platform: PlatformColumns | None) -> str | None:
    """dmy or mdy for the mapping's numeric dates: from the platform, else from the dates themselves."""
    if platform is not None and platform.platform.name in MONTH_FIRST_PLATFORMS:
        return "mdy"
    orders = set()
    for name in ("responded_at", "received_at", "resolved_at", "rated_at"):
        column = fields.get(name)
        if column is None:
            continue
        values = source.table.column(column).slice(0, PROFILE_SAMPLE_ROWS * 4).to_pylist()
        order = day_month_order(values)
        if order is not None:
            orders.add(order)
    decided = orders - {"ambiguous"}
    if len(decided) == 1:
        return decided.pop()
    return "ambiguous" if orders == {"ambiguous"} else None


def apply_overrides(mapping: ColumnMapping, source: SourceTable, overrides: list[str]) -> ColumnMapping:
    """`SOURCE=FIELD` pairs from the command line: FIELD is a field of the kind, `ignore`, or
    `item:CODE` (a rating column with that item code, its scale from its values). A survey's overall
    satisfaction named by hand takes its scale from its values, as an inferred one does."""
    overall_before = mapping.fields.get("overall_satisfaction")
    for override in overrides:
        column, sep, target = override.partition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column or not target:
            raise LoadError(f"--map {override!r}: write it as \"SOURCE COLUMN=FIELD\"")
        if column not in source.headers:
            raise LoadError(f"--map {override!r}: the file has no column {column!r}; its columns are "
                            + ", ".join(repr(h) for h in source.headers[:20]))
        fields = {k: v for k, v in mapping.fields.items() if v != column}
        ratings = tuple(r for r in mapping.ratings if r.column != column)
        answers = {k: v for k, v in mapping.answers.items() if k != column}
        if target.lower() == "ignore":
            pass
        elif target.lower().startswith("item:"):
            code = target[5:].strip() or column
            read = _answers_of(source, column, mapping)
            if read is not None:
                (low, high), na = read.scale, None
                answers = {**answers, column: dict(read.scores)}
            else:
                p = numeric_profile(source.table, [column])[column]
                low, high, na = infer_rating_scale(p["min"], p["max"])
            marked = rating_kind_from_header(code)
            ratings += (RatingColumn(column=column, item_code=marked[1] if marked else code, item_text=code,
                                     kind=marked[0] if marked else "satisfaction", scale_min=low,
                                     scale_max=high, na_code=na),)
        else:
            names = [f.name for f in fields_of(mapping.kind)]
            if target not in names:
                raise LoadError(f"--map {override!r}: a {mapping.kind} file has no field {target!r}; use one"
                                " of " + ", ".join(names) + ", ignore or item:CODE")
            fields[target] = column
            read = _answers_of(source, column, mapping)
            if read is not None and field_named(mapping.kind, target).kind in ("number", "integer"):
                answers[column] = dict(read.scores)
        used = set(fields.values()) | {r.column for r in ratings}
        mapping = replace(mapping, fields=fields, ratings=ratings, answers=answers,
                          ignored=tuple(h for h in source.headers if h not in used),
                          choice_columns=tuple(c for c in mapping.choice_columns if c != column)).settled(column)
    if mapping.date_order is None:
        # a date column named by hand says its own order (01.10.26 with dots: day first)
        mapping = replace(mapping, date_order=_date_order(source, mapping.fields, None))
    overall = mapping.fields.get("overall_satisfaction")
    if mapping.kind == "survey" and overall != overall_before:
        # without it the scores were stored with no scale, and none was checked against one
        mapping = replace(mapping, overall_scale=overall_scale_of(source, overall, mapping) if overall else None)
    return mapping


def overall_scale_of(source: SourceTable, column: str, mapping: ColumnMapping) -> tuple[float, float]:
    """The scale of an overall satisfaction named by hand (`--map`, the page's mapping table): its
    answers' set, or the common scale its numbers fit."""
    read = _answers_of(source, column, mapping)
    if read is not None:
        return read.scale
    p = numeric_profile(source.cells([column]), [column])[column]
    return infer_scale(p["min"], p["max"])


def with_na_codes(mapping: ColumnMapping, codes: dict[str, float]) -> ColumnMapping:
    """Rated items' not-applicable codes set by the analyst (`--na-code "COLUMN=0"`, the page's
    'read 0 as not applicable'): a 0 on a 1-5 item is then a blank, not a problem."""
    rated = {r.column for r in mapping.ratings}
    unknown = [column for column in codes if column not in rated]
    if unknown:
        raise LoadError(f"--na-code: {', '.join(repr(c) for c in unknown)} is not a rated item's column; the"
                        " rated columns are " + ", ".join(repr(r.column) for r in mapping.ratings[:12]))
    return replace(mapping, ratings=tuple(replace(r, na_code=float(codes[r.column])) if r.column in codes else r
                                          for r in mapping.ratings))


def _answers_of(source: SourceTable, column: str, mapping: ColumnMapping) -> ColumnAnswers | None:
    """A column's answers read as scores (with the scores the mapping already gives its words)."""
    values = pc.unique(source.cells([column]).column(column)).to_pylist()
    if len(values) > ANSWER_SCAN_DISTINCT:
        return None
    read = read_answer_columns({column: values}, mapping.answers.get(column)).get(column)
    if read is None or read.unknown:
        return None
    return read


def declare_answers(mapping: ColumnMapping, source: SourceTable,
                    declared: dict[str, float | None]) -> ColumnMapping:
    """The analyst's scores for answers (`--answer "WORD=SCORE"`) in a mapping that was saved or
    given: every scored column holding one of those answers takes its score."""
    from_words = {answer_key(k): v for k, v in declared.items()}
    answers = {column: dict(scores) for column, scores in mapping.answers.items()}
    for column in list(answers) + list(mapping.unknown_answers):
        if column not in source.headers:
            continue
        for value in pc.unique(source.table.column(column)).to_pylist():
            if value is not None and answer_key(value) in from_words:
                answers.setdefault(column, {})[value.strip()] = from_words[answer_key(value)]
    return replace(mapping, answers=answers)


def layout_key(headers: tuple[str, ...] | list[str]) -> str:
    """Same headers -> the same key, so the mapping saved last month is found again."""
    import hashlib

    text = "\n".join(sorted(str(h) for h in headers))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

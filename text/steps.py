"""The complaint-handling steps, and the step a complaint log's status word names.

The training material's sequence (issue 23): Listen, Share (apologise and empathise), Problem
(clarify), Check (agree a solution), Action, Satisfy (confirm the customer is satisfied). Complaint
exports carry a status word instead - 受理, 处理中, 已回访, 已办结, open, in progress, resolved,
closed - and `handling_step` maps the common ones, in English and Chinese, to the step they mean.
A word it does not know maps to None, and the importer reports it.

"Resolved" and its kin (已解决, 已处理, fixed) map to Action: the problem was dealt with, but the
customer's satisfaction has not been confirmed. Closed, 已办结 and 已回访 (the follow-up call was
made) map to Satisfy, the step that closes the loop.

Complaint systems qualify their words: the US CFPB's published database answers "Closed with
explanation", "Closed with monetary relief", "Closed with non-monetary relief"; ticket systems
write "Closed - resolved", "In progress (awaiting parts)". A status the list does not hold whole is
read by its longest leading run of words that the list holds, so these name the step of "closed" and
"in progress"; a leading negation ("not resolved") holds no such run and names none.
"""
from __future__ import annotations

import re

STEPS = ("listen", "share", "problem", "check", "action", "satisfy")

# A complaint is closed when it has a resolved time or its status puts it at Satisfy (the loop closed
# with the customer); one closed without a resolved time has no known duration. The condition over a
# complaint's row, for every figure that tells open from closed: the resolution figures, the handling
# steps and the follow-up list.
CLOSED_SQL = "(resolved_at IS NOT NULL OR coalesce(handling_step = 'satisfy', false))"

_WORDS = {
    "listen": (
        "open", "opened", "new", "received", "logged", "registered", "submitted", "reported", "pending",
        "not started", "to do", "todo", "unassigned", "unresolved", "waiting", "queued", "reopened",
        "waiting for support", "awaiting response", "no response", "untimely response", "active",
        "受理", "已受理", "待受理", "新建", "新增", "登记", "已登记", "已接收", "待处理", "未处理", "未解决",
        "未受理", "待分派", "待派单", "已提交", "开启", "打开", "已退回", "退回", "已退单",
    ),
    "share": (
        "acknowledged", "contacted", "apologised", "apologized", "customer contacted", "responded",
        "first response", "replied",
        "已致歉", "已道歉", "已安抚", "已联系", "已联系客户", "已回复", "已响应", "已确认收到",
    ),
    "problem": (
        "investigating", "under investigation", "in investigation", "analysing", "analyzing",
        "clarifying", "under review", "in review", "reviewing", "assessing", "triage", "triaged",
        "调查中", "核实中", "核查中", "待核实", "待核查", "审核中", "分析中", "已核实", "调查",
    ),
    "check": (
        "solution proposed", "proposed", "awaiting customer", "pending customer", "waiting for customer",
        "awaiting approval", "pending approval", "negotiating", "agreed", "solution agreed",
        "waiting on customer", "awaiting customer response", "pending customer response",
        "方案确认", "待客户确认", "协商中", "已协商", "方案已确认", "待确认", "待审批", "审批中",
    ),
    "action": (
        "in progress", "inprogress", "in process", "processing", "assigned", "working", "work in progress",
        "wip", "escalated", "ongoing", "in hand", "resolved", "fixed", "done", "completed", "complete",
        "solved", "handled", "refunded", "compensated", "actioned", "on hold", "hold", "snoozed", "waiting on third party",
        "处理中", "办理中", "解决中", "跟进中", "已派单", "已转办", "已分派", "已升级", "整改中", "已处理", "已解决",
        "已完成", "已整改", "已退款", "已赔付", "进行中",
    ),
    "satisfy": (
        "closed", "close", "closed satisfied", "satisfied", "customer satisfied", "confirmed",
        "customer confirmed", "followed up", "follow up done", "archived", "finished",
        "已回访", "已办结", "办结", "已结案", "结案", "已关闭", "关闭", "已归档", "客户满意", "满意",
        "已确认", "回访满意", "已闭环", "闭环",
    ),
}


def normalise_status(word: str) -> str:
    """Lower case, inner dashes, underscores and runs of spaces as one space, trimmed."""
    return re.sub(r"[\s_\-]+", " ", str(word).strip().lower()).strip()


STATUS_STEPS: dict[str, str] = {normalise_status(w): step for step, words in _WORDS.items() for w in words}


def handling_step(status: str | None) -> str | None:
    """The handling step a status word names, or None when it names none we know (or is blank):
    the whole word, else its longest leading run of words that names one (see the module's note)."""
    if status is None:
        return None
    word = normalise_status(status)
    step = STATUS_STEPS.get(word)
    if step is not None:
        return step
    words = re.findall(r"\w+", word)
    for end in range(len(words) - 1, 0, -1):
        step = STATUS_STEPS.get(" ".join(words[:end]))
        if step is not None:
            return step
    return None


__all__ = ["STEPS", "STATUS_STEPS", "handling_step", "normalise_status"]

"""Labels of the metadata blocks government portals print above a document (索引号, 发布机构 …).

Shared by the HTML reader and the document-field reader of plain text, without importing an
HTML parser: ingesting a TXT plan should not pay for bs4.
"""

from __future__ import annotations

from ingest.readers.base import words

LABELS = {
    **dict.fromkeys(["索引号"], "index_no"),
    **dict.fromkeys(
        [
            "发文机关",
            "发布机构",
            "发文单位",
            "发布机关",
            "发文机构",
            "制发机关",
            "发布单位",
            "发布部门",
        ],
        "issuer",
    ),
    **dict.fromkeys(["发文字号", "文号"], "doc_number"),
    **dict.fromkeys(["成文日期", "成文时间", "发文日期"], "date"),
    **dict.fromkeys(["发布日期", "发布时间", "公开日期", "公布日期"], "published"),
    **dict.fromkeys(["标题", "文件名称", "名称"], "title"),
}
# Labels of the same metadata block that carry nothing we keep; they still leave the text.
# 信息来源 names the page's source (a website, the office that posted it), not the issuer.
OTHER_LABELS = words(
    "主题分类 主题词 有效性 体裁分类 公文种类 所属机构 信息来源 生效日期 废止日期 时效 统一编号 "
    "信息分类 公开方式 公开范围 组配分类 效力状态 文件状态 实施日期 时效性 效力级别 法规类别"
)

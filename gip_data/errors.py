"""Every failure a user can meet, one type each, with a Chinese and an English message.

Arithmetic inconsistencies are *not* errors: they travel in ``AnnualReport.checks``.
These exceptions are for inputs that cannot become a record at all, and for
storage and configuration problems. The CLI prints ``code``, ``message_zh`` and
``message_en``; the UI shows ``message_zh``.
"""

from __future__ import annotations


class GipDataError(Exception):
    """Base class for all errors of gip_data."""

    code = "error"
    message_zh = "处理失败"
    message_en = "processing failed"

    def __init__(self, detail: str = "", *, source: str | None = None) -> None:
        self.detail = detail
        self.source = source
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Chinese and English message, with the detail when there is one."""
        text = f"{self.message_zh} / {self.message_en}"
        return f"{text}: {self.detail}" if self.detail else text

    def to_dict(self) -> dict[str, str]:
        """The error object printed by ``gip parse --json``."""
        return {"code": self.code, "message": self.message}


class UnsupportedFormatError(GipDataError, ValueError):
    """No reader for the file's content type."""

    code = "unsupported-format"
    message_zh = "不支持的文件类型（支持 PDF、DOCX、DOC、WPS、HTML、TXT）"
    message_en = "unsupported file type (PDF, DOCX, DOC, WPS, HTML and TXT are supported)"


class EmptyFileError(GipDataError):
    """The file holds no bytes or no text at all."""

    code = "empty-file"
    message_zh = "文件为空"
    message_en = "empty file"


class InputNotFoundError(GipDataError):
    """A path given on the command line does not exist."""

    code = "file-not-found"
    message_zh = "文件不存在"
    message_en = "no such file"


class FolderGivenError(GipDataError):
    """A folder was given where one file is expected."""

    code = "is-a-folder"
    message_zh = "这是文件夹，不是文件（导入整个文件夹请用 gip import）"
    message_en = "a folder, not a file (gip import takes folders)"


class CorruptFileError(GipDataError):
    """The file is damaged or cannot be decoded."""

    code = "corrupt-file"
    message_zh = "文件已损坏或无法读取"
    message_en = "corrupt or unreadable file"


class ConverterMissingError(GipDataError):
    """An old Word/WPS file needs LibreOffice to be read, and it is not installed."""

    code = "converter-missing"
    message_zh = "读取旧版 Word（.doc）或 WPS（.wps）文件需要 LibreOffice，本机未安装（可另存为 .docx 或 PDF 后上传）"
    message_en = (
        "old Word (.doc) or WPS (.wps) files need LibreOffice, which is not installed "
        "(install it with scripts/system-deps.sh or `apt-get install libreoffice-writer-nogui`, "
        "or save the file as .docx or PDF)"
    )


class EncryptedFileError(GipDataError):
    """The file is password-protected."""

    code = "encrypted-file"
    message_zh = "文件已加密，无法读取"
    message_en = "encrypted file"


class NoTextLayerError(GipDataError):
    """A PDF whose text cannot be taken from its text layer: it needs OCR.

    Every subclass means the same to a caller: route the file to OCR
    (``needs_ocr``). This class itself is a scan: pages that are images only.
    """

    code = "no-text-layer"
    message_zh = "需要OCR（扫描件，没有文字层）"
    message_en = "needs OCR: scanned PDF without a text layer"
    needs_ocr = True


class UnmappedFontError(NoTextLayerError):
    """A PDF whose fonts have no Unicode map: the glyphs are drawn but their text is unknown."""

    code = "unmapped-font"
    message_zh = "需要OCR（PDF字体缺少Unicode映射，文字无法提取）"
    message_en = "needs OCR: the PDF's fonts have no Unicode map, so its text cannot be extracted"


class FileTooLargeError(GipDataError):
    """The file exceeds a configured limit (size, pages, uncompressed size)."""

    code = "file-too-large"
    message_zh = "文件超过允许的大小或页数"
    message_en = "file exceeds the allowed size or page count"


class NotAReportError(GipDataError):
    """No standard table of an annual report was found."""

    code = "not-a-report"
    message_zh = "不是政府信息公开工作年度报告（未找到标准表格）"
    message_en = "not an annual report (no standard tables found)"


class UnreadableTableError(GipDataError):
    """A standard table was found but its numbers cannot be read."""

    code = "unreadable-table"
    message_zh = "找到了表格，但无法读取其中的数字"
    message_en = "a table was found but could not be read"


class ParseTimeoutError(GipDataError):
    """Parsing exceeded its wall-clock, CPU or memory limit."""

    code = "parse-limit"
    message_zh = "解析超时或超出资源限制"
    message_en = "parsing exceeded its time or resource limit"


class StorageError(GipDataError):
    """The database could not be read or written."""

    code = "storage"
    message_zh = "数据库读写失败"
    message_en = "database error"


class ReportNotFoundError(StorageError):
    """No stored report has the given id."""

    code = "not-found"
    message_zh = "找不到该报告"
    message_en = "report not found"


class ConfigError(GipDataError, ValueError):
    """A setting is invalid or an optional dependency is missing."""

    code = "config"
    message_zh = "配置错误"
    message_en = "configuration error"


class PermissionDeniedError(GipDataError):
    """The current user may not change data."""

    code = "permission-denied"
    message_zh = "需要工作人员身份才能修改数据"
    message_en = "staff identity required to change data"

"""gip_data: parse, check, store and analyse 政府信息公开工作年度报告.

The data flow is read → extract → validate → store → frame → chart:
``readers`` turn bytes into a :class:`~gip_data.readers.document.Document`,
``extract`` finds the standard tables by their labels and decodes the numbers,
``validate`` applies the arithmetic rules, ``storage`` keeps records, ``frames``
and ``metrics`` analyse them, ``charts`` draws them.
"""

from gip_data.errors import GipDataError
from gip_data.schema.record import PARSER_VERSION, AnnualReport

__all__ = ["PARSER_VERSION", "AnnualReport", "GipDataError"]

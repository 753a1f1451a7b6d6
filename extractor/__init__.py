"""extractor: structured, checkable data from Chinese government budget disclosures.

>>> import extractor
>>> d = extractor.extract("2020年度部门预算公开\n一、部门职责\n...")
>>> sorted(d.to_dict())[:3]
['amounts', 'checks', 'error']
"""

from .document import Disclosure
from .pipeline import extract, extract_file
from .read import ReadError

__all__ = ["extract", "extract_file", "Disclosure", "ReadError"]
__version__ = "0.1.0"

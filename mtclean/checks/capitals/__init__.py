"""The capitals family, one module per rule: CAP001 (`spurious`: a common word
capitalized in mid-sentence) and CAP002 (`title_case`: a sentence in Title Case). Both
read the document's layout (`layout`: headlines, Title Case sentences, evidence of names)
and the common-word tests (`common`)."""

from . import spurious, title_case  # noqa: F401  (registers the two checks)

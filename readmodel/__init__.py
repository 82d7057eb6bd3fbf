"""The one read model behind every page, download and HTTP route.

Pages (through ``ui.data``, which only adds caching) and the HTTP API ask the same functions here, with the same
``ReadPolicy``; whatever the public instance promises (small numbers suppressed, no person's name) is decided
here once, never in page or route code.
"""

from readmodel.policy import ReadPolicy, policy_for
from readmodel.reads import observations, periods, revisions, sources

__all__ = ["ReadPolicy", "observations", "periods", "policy_for", "revisions", "sources"]

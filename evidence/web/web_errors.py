"""What a failed page load means, for the person who asked for it.

Chromium reports why it could not open a page with a ``net::ERR_...`` code; each family of codes
is told in plain words with what to do.  Every one of them means nothing was captured.
"""

from __future__ import annotations

import re

from evidence.web.page_guard import short
from safeio.errors import InputError

__all__ = ["navigation_error"]

# Chromium network errors -> (what people are told, what to do)
_NET_ERRORS = [
    (re.compile(r"ERR_CONNECTION_REFUSED|ERR_ADDRESS_UNREACHABLE|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE"),
     "nothing answers at this address ({code})", "Check the address and that the site is up; try again later."),
    (re.compile(r"ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED"),
     "the host name cannot be resolved ({code})", "Check the spelling of the address and the network connection."),
    (re.compile(r"ERR_CERT_|ERR_SSL_|ERR_BAD_SSL|ERR_TLS"),
     "the site's TLS certificate or connection is not valid ({code}); nothing was captured",
     "A capture over a connection the browser does not trust proves little: check the address. If the site "
     "really has a broken certificate, capture it by other means and record why."),
    (re.compile(r"ERR_UNSAFE_PORT"),
     "the browser refuses to connect to this port, which is reserved for other services ({code})",
     "Check the port in the address."),
    (re.compile(r"ERR_UNSAFE_REDIRECT|ERR_INVALID_REDIRECT|ERR_DISALLOWED_URL_SCHEME"),
     "the site sends the browser to an address that is not http or https, which is refused ({code})",
     "Capture the page the listing should lead to directly, by its http(s) address."),
    (re.compile(r"ERR_TIMED_OUT|ERR_CONNECTION_TIMED_OUT"),
     "the site did not answer in time ({code})", "Try again later or with a longer --timeout."),
]


def navigation_error(url: str, err: Exception, timeout_s: float) -> InputError:
    """The error to show for a navigation that failed, by the browser's own error code.

    Parameters
    ----------
    url : str
        The address that was opened.
    err : Exception
        What Playwright raised (its message carries ``net::ERR_...``).
    timeout_s : float
        The timeout that was in force.

    Returns
    -------
    InputError
        A plain message naming the address and the code, with what to do.
    """
    text = str(err)
    code = (re.search(r"net::(ERR_[A-Z_]+)", text) or [None, None])[1]
    if "Download is starting" in text:
        return InputError(f"{url}: the address gives a file to download, not a page", field="url",
                          hint="Download the file and seal it with 'casebook evidence hash'.")
    for pattern, message, hint in _NET_ERRORS:
        if code and pattern.search(code):
            return InputError(f"{url}: " + message.format(code=code), field="url", hint=hint)
    if "Timeout" in type(err).__name__ or "Timeout" in text.split("\n", 1)[0]:
        return InputError(f"{url}: the site did not answer within {timeout_s:g} s; nothing was captured",
                          field="url", hint="Try again later or with a longer --timeout.")
    first = text.strip().splitlines()[0] if text.strip() else type(err).__name__
    return InputError(f"{url}: the page could not be opened ({short(first, 200)})", field="url")

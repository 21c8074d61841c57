"""The websites the data cites: a page's domain, its site's name, and the sites that hold copies.

One place for what the package knows about a cited address, used below the words (the
data-quality questions count citations by site, :mod:`helpers.quality`) and at the top (the
reader's HTML names a bare address by its site, :mod:`helpers.build.links`). A function of an
address alone: no data is read.
"""

from __future__ import annotations

from urllib.parse import urlparse, urlsplit

#: Readable names of the sites the data cites; any other site is named by its host name.
SITE_NAMES: dict[str, str] = {
    "careinspectorate.com": "Care Inspectorate",
    "education.gov.scot": "Education Scotland",
    "gov.scot": "Scottish Government",
    "healthcareimprovementscotland.org": "Healthcare Improvement Scotland",
    "nationalarchives.gov.uk": "The National Archives",
    "github.com": "GitHub",
}

#: Sites that hold a copy of a page first published elsewhere, and what each is. A citation of
#: one is still a citation, but a reader checking a fact should know the page is a copy.
COPIES: dict[str, str] = {
    "careinspectoratelive2.mtcserver.com": "a copy of the Care Inspectorate's site",
    "cloudfront.net": "a third-party host",
    "vdocuments.site": "a third-party host",
    "inkl.com": "a third-party host",
    "daily8.com": "a third-party host",
}


def domain(url: str) -> str:
    """The web domain of a URL without 'www.' ('' for a blank).

    Examples
    --------
    >>> domain("https://www.careinspectorate.com/index.php/news")
    'careinspectorate.com'
    """
    return urlparse(url).netloc.removeprefix("www.") if url else ""


def _on(host: str, names) -> str | None:
    """The first of ``names`` that ``host`` is, or is a subdomain of."""
    return next((name for name in names if host == name or host.endswith("." + name)), None)


def site_name(url: str) -> str:
    """The readable name of the site ``url`` is on (its host name if it is not a known one).

    Examples
    --------
    >>> site_name("https://www.careinspectorate.com/index.php/news/4343-joint")
    'Care Inspectorate'
    >>> site_name("https://www.fifetoday.co.uk/news/1")
    'fifetoday.co.uk'
    """
    host = (urlsplit(url).hostname or url).lower().removeprefix("www.")
    known = _on(host, SITE_NAMES)
    return SITE_NAMES[known] if known else host


def copy_kind(url: str) -> str:
    """What :data:`COPIES` says the page's site is ('' if it is not listed).

    Examples
    --------
    >>> copy_kind("https://d33gy59ovltp76.cloudfront.net/a.pdf"), copy_kind("https://bbc.co.uk/")
    ('a third-party host', '')
    """
    known = _on(domain(url), COPIES)
    return COPIES[known] if known else ""

"""Month names of other languages, for the date stamps of pages whose site speaks one
("fredag 5. mai 2023", "jeudi, avril 25, 2024", "28 апреля, 2021 09:47"). Read only in a
page's header stamp: in English running text, "mai" or "mars" are not months."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from pipeline.dates.expressions import YEAR, valid_date

_NAMES = {  # month number -> names (French, Spanish, Portuguese, Italian, German, Dutch, Nordic, Polish, Turkish, Russian)
    1: "janvier enero janeiro gennaio januar jänner januari stycznia styczeń ocak января январь",
    2: "février febrero fevereiro febbraio februar februari lutego luty şubat февраля февраль",
    3: "mars marzo março marco märz maart marts marca marzec mart марта март",
    4: "avril abril aprile kwietnia kwiecień nisan апреля апрель",
    5: "mai mayo maio maggio mei maj maja mayıs мая май",
    6: "juin junio junho giugno juni czerwca czerwiec haziran июня июнь",
    7: "juillet julio julho luglio juli lipca lipiec temmuz июля июль",
    8: "août agosto augustus augusti sierpnia sierpień ağustos августа август",
    9: "septembre septiembre setiembre setembro settembre września wrzesień eylül сентября сентябрь",
    10: "octobre octubre outubro ottobre oktober października październik ekim октября октябрь",
    11: "novembre noviembre novembro listopada listopad kasım ноября ноябрь",
    12: "décembre diciembre dezembro dicembre dezember desember grudnia grudzień aralık декабря декабрь",
}


def _plain(word: str) -> str:
    """Lower case without accents: "Août" and "aout" are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


MONTHS = {_plain(name): number for number, names in _NAMES.items() for name in names.split()}

_WORD = r"([^\W\d_]+)\.?"
_DAY_FIRST = re.compile(rf"^\s*(?:{_WORD},?\s+)?(\d{{1,2}})\.?\s+{_WORD},?\s+({YEAR})\b")  # "fredag 5. mai 2023"
_MONTH_FIRST = re.compile(rf"^\s*(?:{_WORD},?\s+)?{_WORD}\s+(\d{{1,2}}),?\s+({YEAR})\b")  # "jeudi, avril 25, 2024"
_CLOCK_TAIL = re.compile(r"[\s,|-]*(?:\d{1,2}[:.]\d\d(?::\d\d)?)?\s*$")


def foreign_stamp_date(line: str) -> date | None:
    """The date of a line that is only a date (a weekday and a clock time allowed) written
    with another language's month name, else None."""
    for pattern, order in ((_DAY_FIRST, "dm"), (_MONTH_FIRST, "md")):
        match = pattern.match(line)
        if match is None or not _CLOCK_TAIL.match(line, match.end()):
            continue
        _, first, second, year = match.groups()
        day, month = (first, second) if order == "dm" else (second, first)
        number = MONTHS.get(_plain(month))
        if number is None:
            continue
        return valid_date(int(year), number, int(day))
    return None

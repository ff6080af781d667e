"""Which language a question is in, when it is confidently not English: newsbot reads English only.

The rule and its two numbers were measured on SQuAD 2.0 dev and XQuAD questions (English, German,
Spanish): see tests/test_language.py, which checks the rates on the half of the articles the
numbers were not chosen on."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from embeddings import stopwords

# The languages a question may be named as; the model knows more, but each extra one is another
# way for a short English question to be mistaken.
LANGUAGES = {
    "en": "English",
    "de": "German",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "cs": "Czech",
    "sk": "Slovak",
    "sl": "Slovenian",
    "hr": "Croatian",
    "sr": "Serbian",
    "ro": "Romanian",
    "hu": "Hungarian",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "fi": "Finnish",
    "et": "Estonian",
    "lv": "Latvian",
    "lt": "Lithuanian",
    "tr": "Turkish",
    "ca": "Catalan",
    "uk": "Ukrainian",
    "ru": "Russian",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "mk": "Macedonian",
    "kk": "Kazakh",
    "el": "Greek",
    "he": "Hebrew",
    "ar": "Arabic",
    "fa": "Persian",
    "ur": "Urdu",
    "hi": "Hindi",
    "bn": "Bengali",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "th": "Thai",
    "vi": "Vietnamese",
    "id": "Indonesian",
    "ka": "Georgian",
    "hy": "Armenian",
    "az": "Azerbaijani",
}
MIN_WORDS = 2  # one word (a follow-up such as "Why?") is too little to tell
MIN_LOG_ODDS = 3.0  # the best language must be e^3 ≈ 20 times likelier than English
NAMED = 0.5  # a text in another script is named by the model above this probability, else by its script
# A question with at least this many English function words, making up at least this share of
# its words, is English without asking the model (whose load costs a command 0.4 s). Chosen by
# benchmarks/language_heldout.py --shortcut on the fitting half: the most English questions so
# decided while at most 0.5% of German and Spanish ones are.
ENGLISH_FUNCTION_WORDS = 3
ENGLISH_SHARE = 0.2
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def foreign_language(text: str) -> str | None:
    """The English name of text's language ("Ukrainian", "German") when it is confidently not
    English; for a script whose language the model cannot tell, the script ("Tamil script")."""
    words = _WORD.findall(text)
    ordinary = _without_names(words)
    latin = [w for w in ordinary if _script(w) == "LATIN"]
    if len(ordinary) - len(latin) > len(latin):
        # Names count here: "Пєсков" is spelled in Ukrainian, "Песков" in Russian.
        other = [w for w in words if _script(w) != "LATIN"]
        return _name(" ".join(other), _script(other[0]))
    if len(latin) < MIN_WORDS or plainly_english(latin):
        return None
    code, log_odds = _best_against_english(" ".join(latin))
    return LANGUAGES[code] if code != "en" and log_odds >= MIN_LOG_ODDS else None


def plainly_english(words: list[str]) -> bool:
    """Are enough of the words English function words ("did", "the", "of") to need no model?"""
    function_words = sum(word.lower() in stopwords() for word in words)
    return function_words >= ENGLISH_FUNCTION_WORDS and function_words >= ENGLISH_SHARE * len(words)


def not_read(language: str, what: str = "question") -> str:
    """What the bot says to a question (or claim) in another language."""
    return (
        f"This {what} seems to be in {language}; newsbot reads {what}s in English only, for now. "
        f"Please {'ask' if what == 'question' else 'write it'} in English."
    )


def _without_names(words: list[str]) -> list[str]:
    """Words less capitalised ones after the first: names (Umierov, Istanbul) belong to no one
    language, and English questions are full of them."""
    return words[:1] + [w for w in words[1:] if not w[0].isupper()]


def _script(word: str) -> str:
    return unicodedata.name(word[0], "UNKNOWN").split()[0]


def _name(text: str, script: str) -> str:
    code, probability = _identifier().rank(text)[0]
    return LANGUAGES[code] if code != "en" and probability > NAMED else f"{script.title()} script"


def _best_against_english(text: str) -> tuple[str, float]:
    """The likeliest language and the log of its odds against English."""
    ranking = _identifier().rank(text)
    code, probability = ranking[0]
    english = dict(ranking)["en"]
    return code, math.log(probability) - math.log(max(english, 1e-30))


@cache
def _identifier() -> LanguageIdentifier:
    """py3langid's model, loaded from the installed package (no download)."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier

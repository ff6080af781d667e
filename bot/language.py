"""Which language a question is in, when it is confidently not English: the English pipeline
reads English only; bot/crosslingual.py answers Ukrainian, Russian, German and Spanish ones when
the embedding model is multilingual, and others get not_read's message.

The rule and its two numbers were measured on SQuAD 2.0 dev and XQuAD questions (English, German,
Spanish): see tests/test_language.py, which checks the rates on the half of the articles the
numbers were not chosen on."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache

import simplemma
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from embeddings import cyrillic_language, stopwords

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
# With this model questions may also be asked in these languages (bot/crosslingual.py).
MULTILINGUAL_MODEL = "multilingual-e5-small"
MULTILINGUAL_LANGUAGES = ("Ukrainian", "Russian", "German", "Spanish")
MIN_WORDS = 2  # one word (a follow-up such as "Why?") is too little to tell
FEW_WORDS = 4  # fewer words than this, less names, and German nouns count as words (see _without_names)
MIN_LOG_ODDS = 3.0  # the best language must be e^3 ≈ 20 times likelier than English
NAMED = 0.5
SURE = 0.9  # a Cyrillic text the model names less surely is named by the words it knows
DICTIONARIES = ("uk", "ru", "bg")  # simplemma's Cyrillic dictionaries, less Macedonian's (rarer here, 0.3 s to load)
CYRILLIC_SHARE = 0.3  # a text in another script is named by the model above this probability, else by its script
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
    found = _language_of(words, ordinary)
    if found != "English" and len(ordinary) < FEW_WORDS:
        # Too few words left to tell: German capitalises every noun, so those its dictionary
        # knows count as words ("Pelosi erhielt 192 Stimmen" is Finnish to the model without
        # "Stimmen"). The dictionary takes most of a second to load: English, the usual case,
        # is told without it.
        known = words[:1] + [w for w in words[1:] if not w[0].isupper() or simplemma.is_known(w, lang="de")]
        found = _language_of(words, known)
    return None if found == "English" else found


def _language_of(words: list[str], ordinary: list[str]) -> str | None:
    """The language's name, "English" when it is found English, None when it cannot be told."""
    latin = [w for w in ordinary if _script(w) == "LATIN"]
    if len(ordinary) - len(latin) > len(latin):
        # Names count here: "Пєсков" is spelled in Ukrainian, "Песков" in Russian.
        other = [w for w in words if _script(w) != "LATIN"]
        return _name(" ".join(other), _script(other[0]))
    if len(latin) < MIN_WORDS:
        return None
    if plainly_english(latin):
        return "English"
    code, log_odds = _best_against_english(" ".join(latin))
    if code == "en":
        return "English"
    return LANGUAGES[code] if log_odds >= MIN_LOG_ODDS else None


def plainly_english(words: list[str]) -> bool:
    """Are enough of the words English function words ("did", "the", "of") to need no model?"""
    function_words = sum(word.lower() in stopwords() for word in words)
    return function_words >= ENGLISH_FUNCTION_WORDS and function_words >= ENGLISH_SHARE * len(words)


def not_read(language: str, readable: tuple[str, ...] = ("English",), what: str = "question") -> str:
    """What the bot says to a question (or claim) in a language it cannot answer in; readable:
    the languages it can, with the embedding model it has."""
    verb = "ask" if what == "question" else "write it"
    if len(readable) == 1:
        switch = (
            f" ({', '.join(MULTILINGUAL_LANGUAGES)} need {MULTILINGUAL_MODEL}: see the README)"
            if language in MULTILINGUAL_LANGUAGES
            else ""
        )
        said = f"This {what} seems to be in {language}; newsbot reads {what}s in English only{switch}."
        return _in_its_language(language, what) + f"{said} Please {verb} in English."
    listed = f"{', '.join(readable[:-1])} or {readable[-1]}"
    return f"This {what} seems to be in {language}; newsbot reads {what}s in {listed}. Please {verb} in one of them."


# "newsbot reads … in English only" in the language the multilingual model would read, said
# first: the one asking may not read English, whoever sets the model up reads the README.
NEEDS_MULTILINGUAL = {
    "Ukrainian": {
        "question": "Українською newsbot читає запитання лише з моделлю {model} (див. README). ",
        "claim": "Українською newsbot читає твердження лише з моделлю {model} (див. README). ",
    },
    "Russian": {
        "question": "По-русски newsbot читает вопросы только с моделью {model} (см. README). ",
        "claim": "По-русски newsbot читает утверждения только с моделью {model} (см. README). ",
    },
    "German": {
        "question": "Fragen auf Deutsch liest newsbot nur mit dem Modell {model} (siehe README). ",
        "claim": "Behauptungen auf Deutsch liest newsbot nur mit dem Modell {model} (siehe README). ",
    },
    "Spanish": {
        "question": "newsbot solo lee preguntas en español con el modelo {model} (véase el README). ",
        "claim": "newsbot solo lee afirmaciones en español con el modelo {model} (véase el README). ",
    },
}


def _in_its_language(language: str, what: str) -> str:
    return NEEDS_MULTILINGUAL.get(language, {}).get(what, "").format(model=MULTILINGUAL_MODEL)


def _without_names(words: list[str]) -> list[str]:
    """Words less capitalised ones after the first: names (Umierov, Istanbul) belong to no one
    language, and English questions are full of them."""
    return words[:1] + [w for w in words[1:] if not w[0].isupper()]


def _script(word: str) -> str:
    return unicodedata.name(word[0], "UNKNOWN").split()[0]


def _name(text: str, script: str) -> str:
    ranking = _identifier().rank(text)
    code, probability = ranking[0]
    if script == "CYRILLIC" and probability < SURE:
        # Short Russian is often taken for Bulgarian ("Кто забил два гола в матче?", 0.69), and
        # Ukrainian for Russian: the words each one's dictionary knows tell them apart.
        voted = _known_most(text)
        if voted:
            return LANGUAGES[voted]
    if code != "en" and probability > NAMED:
        return LANGUAGES[code]
    if script == "CYRILLIC":
        # Too short for the model: spelled as only Ukrainian (і, ї, є) or Russian (ы, э) is, or
        # else the likelier of the two when they hold a fair share (short Russian is often
        # taken for Bulgarian).
        spelled = cyrillic_language(text)
        if spelled:
            return LANGUAGES[spelled]
        odds = dict(ranking)
        if odds["uk"] + odds["ru"] >= CYRILLIC_SHARE:
            return LANGUAGES["uk" if odds["uk"] > odds["ru"] else "ru"]
    return f"{script.title()} script"


def _known_most(text: str) -> str | None:
    """Of Ukrainian, Russian and Bulgarian, the one whose dictionary (simplemma's) knows the most
    of the text's words, when one knows strictly more than the others. The dictionaries take
    over a second to load: only a text the model is unsure of is looked up."""
    words = [word.lower() for word in _WORD.findall(text)]
    known = {code: sum(simplemma.is_known(word, lang=code) for word in words) for code in DICTIONARIES}
    most = max(known.values())
    leaders = [code for code, count in known.items() if count == most]
    return leaders[0] if most and len(leaders) == 1 else None


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

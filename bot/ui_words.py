"""The chat page's own words in each language newsbot answers in; the browser's language picks
them (Gradio's I18n), English where it is none of these. Answers follow the question's language
whatever the page's."""

from __future__ import annotations

from collections.abc import Sequence

from babel import Locale
from babel.lists import format_list

from embeddings import skip_reason

LOCALES = ("en", "uk", "ru", "de", "es")
# Each language's words, by key; "{...}" fields are filled in by header().
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "question": "Question",
        "chat": "Chat",
        "fact_check": "Fact check",
        "sources": "### Sources",
        "examples": "Examples",
        "try": "Try",
        "ask": "Ask",
        "ask_placeholder": "Ask about the articles…",
        "claim": "Claim",
        "claim_placeholder": "A statement to check against the articles…",
        "check": "Check",
        "sources_empty": "Cited passages appear here, the cited sentences highlighted.",
        "verdict_empty": "The verdict and its evidence appear here.",
        "intro": "Answers from {articles} ({passages}). Every statement cites its source; the cited sentence "
        "is highlighted. The timeline shows when each cited article was published (dots) and the days its sentences "
        "speak of (rings).",
        "languages": "Ask in {questions}, about articles in {articles}.",
        "skipped": "Files skipped ({count}): {listed}{more}.",
        "more": "; and {count} more (`newsbot index` lists them)",
    },
    "uk": {
        "question": "Запитання",
        "chat": "Чат",
        "fact_check": "Перевірка фактів",
        "sources": "### Джерела",
        "examples": "Приклади",
        "try": "Спробуйте",
        "ask": "Запитати",
        "ask_placeholder": "Запитайте про статті…",
        "claim": "Твердження",
        "claim_placeholder": "Твердження, яке перевірити за статтями…",
        "check": "Перевірити",
        "sources_empty": "Тут з'являться процитовані уривки з виділеними реченнями.",
        "verdict_empty": "Тут з'являться висновок і його підстави.",
        "intro": "Відповіді з {articles} ({passages}). Кожне твердження посилається на джерело; "
        "процитоване речення виділено. Часова шкала показує, коли вийшла кожна процитована стаття (точки), "
        "і дні, про які йдеться в реченнях (кільця).",
        "languages": "Запитуйте мовами: {questions}; статті можуть бути такими мовами: {articles}.",
        "skipped": "Пропущено файлів ({count}): {listed}{more}.",
        "more": "; і ще {count} (їх перелічує `newsbot index`)",
    },
    "ru": {
        "question": "Вопрос",
        "chat": "Чат",
        "fact_check": "Проверка фактов",
        "sources": "### Источники",
        "examples": "Примеры",
        "try": "Попробуйте",
        "ask": "Спросить",
        "ask_placeholder": "Спросите о статьях…",
        "claim": "Утверждение",
        "claim_placeholder": "Утверждение, которое проверить по статьям…",
        "check": "Проверить",
        "sources_empty": "Здесь появятся цитируемые отрывки с выделенными предложениями.",
        "verdict_empty": "Здесь появятся вердикт и его основания.",
        "intro": "Ответы из {articles} ({passages}). Каждое утверждение ссылается на источник; "
        "цитируемое предложение выделено. Шкала времени показывает, когда вышла каждая цитируемая статья (точки), "
        "и дни, о которых идёт речь в предложениях (кольца).",
        "languages": "Задавайте вопросы на языках: {questions}; статьи могут быть на языках: {articles}.",
        "skipped": "Пропущено файлов ({count}): {listed}{more}.",
        "more": "; и ещё {count} (их перечисляет `newsbot index`)",
    },
    "de": {
        "question": "Frage",
        "chat": "Chat",
        "fact_check": "Faktencheck",
        "sources": "### Quellen",
        "examples": "Beispiele",
        "try": "Probieren Sie",
        "ask": "Fragen",
        "ask_placeholder": "Fragen Sie zu den Artikeln…",
        "claim": "Behauptung",
        "claim_placeholder": "Eine Aussage, die an den Artikeln geprüft wird…",
        "check": "Prüfen",
        "sources_empty": "Hier erscheinen die zitierten Passagen, die zitierten Sätze hervorgehoben.",
        "verdict_empty": "Hier erscheinen das Urteil und seine Belege.",
        "intro": "Antworten aus {articles} ({passages}). Jede Aussage nennt ihre Quelle; der zitierte Satz "
        "ist hervorgehoben. Die Zeitleiste zeigt, wann jeder zitierte Artikel erschien (Punkte) und von welchen "
        "Tagen seine Sätze sprechen (Ringe).",
        "languages": "Fragen Sie auf {questions}, zu Artikeln auf {articles}.",
        "skipped": "Übersprungene Dateien ({count}): {listed}{more}.",
        "more": "; und {count} weitere (`newsbot index` nennt sie)",
    },
    "es": {
        "question": "Pregunta",
        "chat": "Chat",
        "fact_check": "Verificación",
        "sources": "### Fuentes",
        "examples": "Ejemplos",
        "try": "Pruebe",
        "ask": "Preguntar",
        "ask_placeholder": "Pregunte sobre los artículos…",
        "claim": "Afirmación",
        "claim_placeholder": "Una afirmación que comprobar con los artículos…",
        "check": "Comprobar",
        "sources_empty": "Aquí aparecen los pasajes citados, con las frases citadas resaltadas.",
        "verdict_empty": "Aquí aparecen el veredicto y sus pruebas.",
        "intro": "Respuestas a partir de {articles} ({passages}). Cada afirmación cita su fuente; la frase "
        "citada está resaltada. La línea de tiempo muestra cuándo se publicó cada artículo citado (puntos) y los "
        "días de los que hablan sus frases (anillos).",
        "languages": "Pregunte en {questions}, sobre artículos en {articles}.",
        "skipped": "Archivos omitidos ({count}): {listed}{more}.",
        "more": "; y {count} más (`newsbot index` los enumera)",
    },
}
# "5 news articles", by the language's plural form (babel's CLDR rules: 1, 2-4, 5+ in Ukrainian);
# articles as counted after "from", passages as named.
_COUNTED = {
    "en": {
        "articles": {"one": "{n} news article", "other": "{n} news articles"},
        "passages": {"one": "{n} passage", "other": "{n} passages"},
    },
    "uk": {
        "articles": {"one": "{n} статті", "few": "{n} статей", "many": "{n} статей", "other": "{n} статті"},
        "passages": {"one": "{n} уривок", "few": "{n} уривки", "many": "{n} уривків", "other": "{n} уривка"},
    },
    "ru": {
        "articles": {"one": "{n} статьи", "few": "{n} статей", "many": "{n} статей", "other": "{n} статьи"},
        "passages": {"one": "{n} отрывок", "few": "{n} отрывка", "many": "{n} отрывков", "other": "{n} отрывка"},
    },
    "de": {
        "articles": {"one": "{n} Nachrichtenartikel", "other": "{n} Nachrichtenartikeln"},
        "passages": {"one": "{n} Passage", "other": "{n} Passagen"},
    },
    "es": {
        "articles": {"one": "{n} artículo de prensa", "other": "{n} artículos de prensa"},
        "passages": {"one": "{n} pasaje", "other": "{n} pasajes"},
    },
}
_LANGUAGE_CODES = {"English": "en", "Ukrainian": "uk", "Russian": "ru", "German": "de", "Spanish": "es"}


def counted(count: int, what: str, locale: str) -> str:
    forms = _COUNTED[locale][what]
    form = Locale.parse(locale).plural_form(count)
    return forms.get(form, forms["other"]).format(n=count)


def languages(names: Sequence[str], locale: str) -> str:
    """ "English, Ukrainian or Russian", in locale's words for them."""
    local = Locale.parse(locale).languages
    return format_list([local.get(_LANGUAGE_CODES.get(n, ""), n) for n in names], style="or", locale=locale)


# An example question made from an article's headline, in the headline's language where
# that is one the articles may be in besides English.
EXAMPLE_FRAMES = {
    "en": "What does {source} report about “{title}”?",
    "uk": "Що пише видання {source} про «{title}»?",  # "видання": an outlet's name may be plural
    "ru": "Что пишет издание {source} о «{title}»?",
}


# Why a question or claim was not taken, in the page's language (English: the bot's own message).
PROBLEMS: dict[str, dict[str, str]] = {
    "uk": {
        "question_empty": "Запитання порожнє.",
        "claim_empty": "Твердження порожнє.",
        "question_no_words": "У запитанні немає слів, лише розділові знаки чи символи.",
        "claim_no_words": "У твердженні немає слів, лише розділові знаки чи символи.",
        "question_too_long": "Запитання задовге ({length} символів; найбільше {limit}).",
        "claim_too_long": "Твердження задовге ({length} символів; найбільше {limit}).",
    },
    "ru": {
        "question_empty": "Вопрос пуст.",
        "claim_empty": "Утверждение пусто.",
        "question_no_words": "В вопросе нет слов, только знаки препинания или символы.",
        "claim_no_words": "В утверждении нет слов, только знаки препинания или символы.",
        "question_too_long": "Вопрос слишком длинный ({length} символов; не больше {limit}).",
        "claim_too_long": "Утверждение слишком длинное ({length} символов; не больше {limit}).",
    },
    "de": {
        "question_empty": "Die Frage ist leer.",
        "claim_empty": "Die Behauptung ist leer.",
        "question_no_words": "Die Frage enthält keine Wörter, nur Satzzeichen oder Symbole.",
        "claim_no_words": "Die Behauptung enthält keine Wörter, nur Satzzeichen oder Symbole.",
        "question_too_long": "Die Frage ist zu lang ({length} Zeichen; höchstens {limit}).",
        "claim_too_long": "Die Behauptung ist zu lang ({length} Zeichen; höchstens {limit}).",
    },
    "es": {
        "question_empty": "La pregunta está vacía.",
        "claim_empty": "La afirmación está vacía.",
        "question_no_words": "La pregunta no tiene palabras, solo signos de puntuación o símbolos.",
        "claim_no_words": "La afirmación no tiene palabras, solo signos de puntuación o símbolos.",
        "question_too_long": "La pregunta es demasiado larga ({length} caracteres; el límite es {limit}).",
        "claim_too_long": "La afirmación es demasiado larga ({length} caracteres; el límite es {limit}).",
    },
}


# Why a file was left out of the index (embeddings.documents.SKIP_REASONS), in the page's language.
SKIP_REASONS: dict[str, dict[str, str]] = {
    "uk": {
        "unsupported_type": "непідтримуваний тип файлу {suffix}",
        "no_text": "не знайдено тексту статті",
        "no_html_text": "у HTML не знайдено тексту статті",
        "no_sentences": "у тексті статті не знайдено речень",
        "cannot_read": "не вдалося прочитати файл: {error}",
        "empty": "порожній файл",
        "binary": "двійковий файл, не текст",
        "too_large": "завеликий файл ({size} МБ; найбільше {limit} МБ)",
        "unknown_encoding": "невідоме кодування тексту",
        "same_id": "той самий ідентифікатор документа, що й у {first}",
        "same_content": "той самий вміст, що й у {first}",
        "encrypted_pdf": "зашифрований PDF (потрібен пароль)",
        "unreadable_pdf": "не вдалося прочитати PDF ({error})",
        "no_text_layer": "немає текстового шару (скан?)",
        "not_docx": "не вдалося прочитати файл Word (не пакет .docx: пошкоджений або інший формат)",
        "unreadable_docx": "не вдалося прочитати файл Word ({error})",
    },
    "ru": {
        "unsupported_type": "неподдерживаемый тип файла {suffix}",
        "no_text": "текст статьи не найден",
        "no_html_text": "в HTML не найден текст статьи",
        "no_sentences": "в тексте статьи не найдено предложений",
        "cannot_read": "не удалось прочитать файл: {error}",
        "empty": "пустой файл",
        "binary": "двоичный файл, не текст",
        "too_large": "слишком большой файл ({size} МБ; не больше {limit} МБ)",
        "unknown_encoding": "неизвестная кодировка текста",
        "same_id": "тот же идентификатор документа, что у {first}",
        "same_content": "то же содержимое, что у {first}",
        "encrypted_pdf": "зашифрованный PDF (нужен пароль)",
        "unreadable_pdf": "не удалось прочитать PDF ({error})",
        "no_text_layer": "нет текстового слоя (скан?)",
        "not_docx": "не удалось прочитать файл Word (не пакет .docx: повреждён или другой формат)",
        "unreadable_docx": "не удалось прочитать файл Word ({error})",
    },
    "de": {
        "unsupported_type": "nicht unterstützter Dateityp {suffix}",
        "no_text": "kein Artikeltext gefunden",
        "no_html_text": "kein Artikeltext im HTML gefunden",
        "no_sentences": "keine Sätze im Artikeltext gefunden",
        "cannot_read": "Datei nicht lesbar: {error}",
        "empty": "leere Datei",
        "binary": "Binärdatei, kein Text",
        "too_large": "Datei zu groß ({size} MB; höchstens {limit} MB)",
        "unknown_encoding": "unbekannte Textkodierung",
        "same_id": "dieselbe Dokument-ID wie {first}",
        "same_content": "derselbe Inhalt wie {first}",
        "encrypted_pdf": "verschlüsseltes PDF (braucht ein Passwort)",
        "unreadable_pdf": "PDF nicht lesbar ({error})",
        "no_text_layer": "keine Textebene (gescannt?)",
        "not_docx": "Word-Datei nicht lesbar (kein .docx-Paket: beschädigt oder ein anderes Format)",
        "unreadable_docx": "Word-Datei nicht lesbar ({error})",
    },
    "es": {
        "unsupported_type": "tipo de archivo no admitido {suffix}",
        "no_text": "no se encontró el texto del artículo",
        "no_html_text": "no se encontró el texto del artículo en el HTML",
        "no_sentences": "no se encontraron oraciones en el texto del artículo",
        "cannot_read": "no se puede leer el archivo: {error}",
        "empty": "archivo vacío",
        "binary": "archivo binario, no de texto",
        "too_large": "archivo demasiado grande ({size} MB; el límite es {limit} MB)",
        "unknown_encoding": "codificación de texto desconocida",
        "same_id": "el mismo identificador de documento que {first}",
        "same_content": "el mismo contenido que {first}",
        "encrypted_pdf": "PDF cifrado (necesita una contraseña)",
        "unreadable_pdf": "PDF ilegible ({error})",
        "no_text_layer": "sin capa de texto (¿escaneado?)",
        "not_docx": "archivo de Word ilegible (no es un paquete .docx: dañado u otro formato)",
        "unreadable_docx": "archivo de Word ilegible ({error})",
    },
}


def skip_reason_in(locale: str, message: str) -> str:
    """A recorded skip message in locale's words, where newsbot has them; else as recorded."""
    found = skip_reason(message)
    worded = SKIP_REASONS.get(locale, {}).get(found[0]) if found else None
    return worded.format(**found[1]) if worded and found else message


def problem_in(locale: str, reason: str, facts: dict[str, object]) -> str | None:
    """Why a question or claim was not taken (a BadQuestion's reason and facts) in locale's
    words, where newsbot has them; None for English, whose words are the bot's own message."""
    worded = PROBLEMS.get(locale, {}).get(reason)
    return worded.format(**facts) if worded else None


def browser_locale(accept_language: str) -> str:
    """The page's language for a browser's Accept-Language ("uk-UA,uk;q=0.9"): its first
    choice, as Gradio's I18n takes it, when newsbot has it; else English."""
    first = accept_language.split(",")[0].split(";")[0].strip().replace("_", "-")
    found = Locale.negotiate([first], LOCALES, sep="-") if first else None
    return found.language if found else "en"

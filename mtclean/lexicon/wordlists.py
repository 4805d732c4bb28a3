"""Word knowledge shared by the name and capitalization checks.

Frequencies come from wordfreq (lowercased, so they cannot tell "Turkey" from "turkey");
case comes from the `web2` list of the english-words package, a dictionary that keeps
capitals on proper nouns and proper adjectives ("Asian", "Jordan"). The small hand lists
below cover what neither source knows: titles, words that head institution names, and
modern proper adjectives.
"""

from __future__ import annotations

from functools import lru_cache

from ..blocks import line_blocks
from . import wordstore


@lru_cache(maxsize=32768)
def zipf(word: str) -> float:
    """Zipf frequency of a lowercase English word (0 when unknown, about 7 for 'the')."""
    return wordstore.zipf_frequency(word)


def preload() -> None:
    """Open the word tries now (built into the cache on the very first run), so forked
    batch workers share them and the first record with a capital does not wait."""
    wordstore.store()


def dictionary_word(lower: str) -> bool:
    """True when the lowercase form is a common dictionary word ("close", "trump"): web2
    lists it in lowercase and gcide knows it too (drops web2's rare senses, "barcelona")."""
    st = wordstore.store()
    return lower in st.web2 and lower.islower() and lower in st.gcide


def proper_in_dictionary(word: str) -> bool:
    """True when the dictionary lists the capitalized form ("Jordan", "Asian", "South")."""
    return word in wordstore.store().web2


def known_place(word: str) -> bool:
    """True for the name of a country, continent, US state or major city ("Bangkok"):
    GeoNames data, where a hand list would always lag behind."""
    return word in wordstore.store().places


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and forms of address: capitalized before a name and often alone ("the President").
TITLES = _words("""
President Vice Premier Prime Minister Ministers Chairman Chairwoman Chairperson Chair
Secretary General Governor Mayor Senator Representative Congressman Congresswoman Speaker
Ambassador Consul Director Deputy Chief Commissioner Chancellor Councillor Councilor
Professor Doctor Dr Mr Mrs Ms Miss Madam Sir Dame Lord Lady King Queen Prince Princess
Emperor Empress Pope Cardinal Bishop Archbishop Reverend Father Sister Brother Saint
Imam Sheikh Sultan Emir Crown Duke Duchess Earl Baron Judge Justice Attorney Advocate
Colonel Captain Major Lieutenant Sergeant Admiral Commander Marshal Corporal Private
General Brigadier Inspector Superintendent Officer Constable Agent Spokesman Spokeswoman
Spokesperson Academician Comrade Uncle Aunt Auntie Grandma Grandpa Master Coach Elder
Patriarch Rabbi Dean Rector Principal Chef Dr Counselor Counsellor Envoy Delegate
Mister Madame Monsieur Herr Frau Senor Senora Nurse Executive Founder President-elect
Ombudsman Registrar Treasurer Auditor Prosecutor Magistrate Sheriff Marshal
""")

# Heads of institution, place, event and document names that correct news capitalizes
# even standing alone ("the Ministry said", "the Party", "before the Games"). Topic words
# such as "Commerce" or "Water" are not here: inside a name they sit next to other
# capitalized words, which the check recognizes on its own.
INSTITUTION_WORDS = _words("""
Ministry Ministries Council Councils Department Departments Party Parties Committee
Committees Bureau Bureaus Office Army Navy Force Forces Corps Guard Police Command Agency
Administration Commission Congress Parliament Assembly Senate House Court Government
State States Cabinet Secretariat Presidium Politburo Legislature Procuratorate Judiciary
University College Academy Institute Centre Center Association Federation Union
Organization Organisation Group Company Corporation Bank Fund Foundation Hospital Museum
Church Station Airport Province City County District Village Township Region Prefecture
Municipality Territory Territories Zone Summit Forum Games Olympics Paralympics Cup
Championship Championships League Festival Expo Exhibition Conference Treaty Agreement
Convention Declaration Charter Constitution Act Accord Protocol Initiative Programme
Program Project Plan Strategy Republic Kingdom Empire Dynasty Revolution Alliance
Coalition Movement Society Club Team Fleet Headquarters Authority Authorities Board
Pentagon Capitol Treasury Fed Kremlin Internet Web Earth Moon Sun Bible Koran Quran
Mainland Motherland Communist Communists Socialist Socialists Democrat Democrats
Democratic Republican Republicans Liberal Liberals Conservative Conservatives Labour
Tory Tories Greens Nationalist Nationalists Embassy Consulate Mission Delegation
""")

# Compass points and regions used as proper nouns ("the West", "the Middle East").
COMPASS = _words("""
North South East West Northeast Northwest Southeast Southwest Northern Southern Eastern
Western Central Midwest Orient Occident Arctic Antarctic
""")

# Proper adjectives and demonyms the dictionary lacks (it predates many of them).
PROPER_ADJECTIVES = _words("""
Afghan Albanian Algerian Angolan Argentine Argentinian Armenian Australian Austrian
Azerbaijani Bahraini Bangladeshi Belarusian Belgian Bolivian Bosnian Brazilian British
Bruneian Bulgarian Burmese Cambodian Cameroonian Canadian Chadian Chilean Chinese
Colombian Congolese Croatian Cuban Cypriot Czech Danish Dutch Ecuadorian Egyptian
Emirati English Eritrean Estonian Ethiopian European Fijian Filipino Finnish French
Gabonese Georgian German Ghanaian Greek Guatemalan Guinean Haitian Honduran Hungarian
Icelandic Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian Jamaican Japanese
Jordanian Kazakh Kazakhstani Kenyan Korean Kosovar Kuwaiti Kyrgyz Lao Laotian Latvian
Lebanese Liberian Libyan Lithuanian Luxembourgish Macedonian Malagasy Malawian Malaysian
Maldivian Malian Maltese Mauritanian Mexican Moldovan Mongolian Montenegrin Moroccan
Mozambican Namibian Nepalese Nepali Nicaraguan Nigerian Nigerien Norwegian Omani
Pakistani Palestinian Panamanian Paraguayan Peruvian Polish Portuguese Qatari Romanian
Russian Rwandan Saudi Scottish Senegalese Serbian Singaporean Slovak Slovenian Somali
Spanish Sri Sudanese Swedish Swiss Syrian Taiwanese Tajik Tanzanian Thai Tibetan Togolese
Tunisian Turkish Turkmen Ugandan Ukrainian Uruguayan Uzbek Venezuelan Vietnamese Welsh
Yemeni Zambian Zimbabwean Uygur Uyghur Uighur Han Hui Manchu Mongol Zhuang Kazak Hakka
Cantonese Mandarin Arabic Hebrew Hindi Urdu Persian Latin Slavic Nordic Scandinavian
Baltic Balkan Caucasian Asian African American Eurasian Arab Arabian Latino Hispanic
Anglo Western Eastern Asia-Pacific Pacific Atlantic Mediterranean Caribbean Siberian
Muslim Muslims Islamic Christian Christians Catholic Catholics Protestant Orthodox
Buddhist Buddhism Taoist Taoism Confucian Confucianism Hindu Jewish Jew Jews Sikh
Sunni Shiite Shia Evangelical Anglican Lutheran Methodist Baptist Mormon
Marxist Marxism Leninist Maoist Stalinist Gaullist Keynesian Darwinian Victorian
Olympic Paralympic Nobel Oscar Grammy Emmy Brexit Covid Coronavirus Omicron Delta
Celsius Fahrenheit Richter Kelvin Gregorian Lunar Spring Autumn Fall Summer Winter
Pole Dane Swede Finn Turk Greek Czech Slovak Croat Serb Scot Brit Briton Kurd Tamil Pashtun
Berber Filipina Cossack Yankee Aussie Kiwi
""")

# Companies, platforms, publications and holidays named with a common word; news mentions
# them alone ("posted on Twitter", "told the Guardian", "published in Nature").
BRANDS_AND_TITLES = _words("""
Twitter Apple Shell Oracle Visa Subway Slack Meta Alphabet Snap Ford Cisco Dell Fox Zoom
Times Guardian Economist Telegraph Herald Tribune Globe Observer Lancet Nature Politico
Axios Mirror Thanksgiving Christmas Providence Milky
""")

# Chinese surnames that are also English words; news uses them alone ("Wang said").
CHINESE_SURNAMES = _words("""
Wang Yang Zhang Fang Tang Ding Kong Gong Meng Deng Feng Zeng Peng Geng Leng Heng Hong
Ming Ning Ping Qing Ling Xing Jing Bing Mao Yin Han Shen Bai Chung Wong
""")

# Places whose names are also lowercase words ("China", "Turkey", "Reading").
PLACE_WORDS = _words("""
China Turkey Chad Jordan Georgia Guinea Niger Jersey Nice Reading Bath Mobile Cork Split
Nancy Troy Orange Phoenix Japan Canada Brazil Chile Bali Mali Russia Panama Shanghai
Berlin Boston Geneva Florence Champagne Brunswick Worcester Derby Kent York Victoria
Wales Lincoln Hull Bristol Sydney Wellington Columbia Hamilton Jackson Madison Austin
Houston Hong Kong Macao Asia Europe Africa America Oceania Antarctica India Cuba Malta
Java Israel Egypt Iran Iraq Sudan Congo Spain Italy Greece Poland Holland Norway Sweden
Denmark England Scotland Ireland Korea Ukraine Kenya Ghana Angola Mexico Peru Lima
Paris London Rome Moscow Tokyo Delhi Cairo Athens Naples Milan Turin Venice Vienna
""")

# Nouns that take a number as a label ("Phase 2", "Line 4", "Article 5").
LABEL_WORDS = _words("""
Phase Article Line Room Level Grade Round Group Class Type Zone Section Chapter Part
Stage Gate Terminal Block Building Unit Lot Plan Model Version Season Episode Volume
Issue No Number Category Division Route Highway Exit Platform Hall Floor Ward Bed Flight
Train Bus Lane Step Task Project Item Note Table Figure Page Act Scene Book Paragraph
Clause Rule Order Decree Resolution Code Station Tower Pier Berth Dock Court Field Team
Squad Battalion Regiment Company Platoon Corps Army Fleet Mission Operation Wave Batch
""")

MONTHS_AND_DAYS = _words("""
January February March April May June July August September October November December
Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
""")

# Small words that a spurious Title Case Sentence capitalizes ("Said That Russia And The").
FUNCTION_WORDS = _words("""
a an the and or but nor so yet for of to in on at by from with into onto upon over under
about above after before between through during without within against among as than
that this these those which who whom whose what when where while if because although
though since until unless whether is are was were be been being has have had do does
did will would shall should can could may might must it its he she they we you i his her
their our my your him them us me not no also very just only even still then there here
said says say told tells
""")

# Lowercase words that join the parts of one proper noun ("Ministry of Commerce",
# "Belt and Road", "Bank of the West", "Leonardo da Vinci").
CONNECTORS = _words("of and for the on in de du da di del della la le les van von der den al el bin ibn &")

NAME_PARTICLES = _words("de du da di del della la le van von der den al el bin ibn ben bint")


# Irregular past tenses and participles the dictionaries may not list themselves, with
# the verb each is a form of (became -> become): standard English morphology.
_IRREGULAR = {form: base for base, forms in (
    ("arise", "arose arisen"), ("awake", "awoke awoken"), ("wake", "woke woken"),
    ("bear", "bore borne"), ("beat", "beaten"), ("become", "became"), ("begin", "began begun"),
    ("bend", "bent"), ("bind", "bound"), ("bite", "bit bitten"), ("bleed", "bled"),
    ("blow", "blew blown"), ("break", "broke broken"), ("breed", "bred"), ("bring", "brought"),
    ("build", "built"), ("burn", "burnt"), ("buy", "bought"), ("catch", "caught"),
    ("choose", "chose chosen"), ("cling", "clung"), ("come", "came"), ("creep", "crept"),
    ("deal", "dealt"), ("dig", "dug"), ("draw", "drew drawn"), ("dream", "dreamt"),
    ("drink", "drank drunk"), ("drive", "drove driven"), ("eat", "ate eaten"),
    ("fall", "fell fallen"), ("feed", "fed"), ("feel", "felt"), ("fight", "fought"),
    ("find", "found"), ("flee", "fled"), ("fling", "flung"), ("fly", "flew flown"),
    ("forbid", "forbade forbidden"), ("forget", "forgot forgotten"), ("forgive", "forgave forgiven"),
    ("freeze", "froze frozen"), ("get", "got gotten"), ("give", "gave given"), ("go", "went gone"),
    ("grind", "ground"), ("grow", "grew grown"), ("hang", "hung"), ("hear", "heard"),
    ("hide", "hid hidden"), ("hold", "held"), ("keep", "kept"), ("kneel", "knelt"),
    ("know", "knew known"), ("lay", "laid"), ("lead", "led"), ("lean", "leant"), ("leap", "leapt"),
    ("learn", "learnt"), ("leave", "left"), ("lend", "lent"), ("lie", "lay lain"), ("light", "lit"),
    ("lose", "lost"), ("make", "made"), ("mean", "meant"), ("meet", "met"), ("pay", "paid"),
    ("ride", "rode ridden"), ("ring", "rang rung"), ("rise", "rose risen"), ("run", "ran"),
    ("sell", "sold"), ("send", "sent"), ("shake", "shook shaken"), ("shine", "shone"),
    ("shoot", "shot"), ("show", "shown"), ("sing", "sang sung"), ("sink", "sank sunk"),
    ("sit", "sat"), ("sleep", "slept"), ("slide", "slid"), ("speak", "spoke spoken"),
    ("speed", "sped"), ("spend", "spent"), ("spin", "spun"), ("spring", "sprang sprung"),
    ("stand", "stood"), ("steal", "stole stolen"), ("stick", "stuck"), ("sting", "stung"),
    ("strike", "struck stricken"), ("strive", "strove striven"), ("swear", "swore sworn"),
    ("sweep", "swept"), ("swim", "swam swum"), ("swing", "swung"), ("take", "took taken"),
    ("teach", "taught"), ("tear", "tore torn"), ("tell", "told"), ("think", "thought"),
    ("throw", "threw thrown"), ("tread", "trod trodden"), ("wear", "wore worn"),
    ("weave", "wove woven"), ("weep", "wept"), ("win", "won"), ("wind", "wound"),
    ("withdraw", "withdrew withdrawn"), ("undertake", "undertook undertaken"),
    ("overcome", "overcame"), ("write", "wrote written"), ("seek", "sought"),
    ("understand", "understood"), ("withstand", "withstood"), ("overtake", "overtook overtaken"),
) for form in forms.split()}


def _bases(lower: str):
    """The word and the stems its inflections come from (a crude lemmatizer: regular
    endings, and the irregular verbs' past forms)."""
    yield lower
    base = _IRREGULAR.get(lower)
    if base is not None:
        yield base
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
                         ("ed", "e"), ("ing", ""), ("ing", "e"), ("er", ""), ("est", ""),
                         ("ly", "")):
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 2:
            stem = lower[: len(lower) - len(suffix)] + repl
            if len(stem) < 3:
                continue  # "laing" is not a form of "la"
            yield stem
            if len(stem) > 3 and stem[-1] == stem[-2]:
                yield stem[:-1]  # stopped -> stop


def common_word(lower: str) -> bool:
    """True when the word or its uninflected stem is a dictionary common word."""
    return any(dictionary_word(b) for b in _bases(lower))


def _either_dictionary_has(lower: str) -> bool:
    """Either dictionary lists the word in lowercase (web2 as written, gcide lowered)."""
    st = wordstore.store()
    return (lower in st.web2 and lower.islower()) or lower in st.gcide


def known_word(lower: str) -> bool:
    """True when either dictionary knows the word or its stem as a lowercase word."""
    return any(map(_either_dictionary_has, _bases(lower)))


def _is_letter(ch: str) -> bool:
    return ch.isalnum() or ch in "'’-"


def _whole_word(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is neither inside a word nor followed by a letter."""
    return not ((start > 0 and _is_letter(text[start - 1]))
                or (end < len(text) and text[end].isalpha()))


def _find_all(text: str, word: str) -> list[int]:
    """Start offsets of `word` as a whole word, overlapping matches included as in the
    automaton below."""
    out = []
    n = len(word)
    i = text.find(word)
    while i != -1:
        if _whole_word(text, i, i + n):
            out.append(i)
        i = text.find(word, i + 1)
    return out


# Up to this many words, one str.find scan per word beats building an automaton.
_FIND_WORDS = 8


def word_occurrences(text: str, words) -> dict[str, list[int]]:
    """Start offsets of each of `words` found as a whole, case-sensitive word in `text`.

    One Aho-Corasick pass, so the cost stays linear however many words are asked for;
    a few words (the usual case) are found with str.find.
    """
    words = [w for w in set(words) if w]
    out: dict[str, list[int]] = {w: [] for w in words}
    if not words or not text:
        return out
    if len(words) <= _FIND_WORDS:
        for w in words:
            out[w] = _find_all(text, w)
        return out
    import ahocorasick

    auto = ahocorasick.Automaton()
    for w in words:
        auto.add_word(w, w)
    auto.make_automaton()
    for a, b in line_blocks(text):  # words hold no newline; the automaton copies its input
        block = text if (a, b) == (0, len(text)) else text[a:b]
        for end, w in auto.iter(block):
            start = a + end - len(w) + 1
            if _whole_word(text, start, a + end + 1):
                out[w].append(start)
    return out

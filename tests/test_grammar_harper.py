"""Harper backend and the MT-aware filters shared by both backends."""

from __future__ import annotations

from mtclean.grammar.detectors import HarperDetector
from mtclean.document import NO_CONTEXT, CheckContext, Document
from mtclean.finding import Finding
from mtclean.grammar import filters


def harper(text: str, context: CheckContext = NO_CONTEXT, prior=()) -> list[Finding]:
    doc = Document(text, "t.txt", context)
    found = HarperDetector()(doc, list(prior))
    for f in found:
        assert f.text == doc.text[f.start:f.end] and f.source == "harper"
    return found


def spelled(doc_text: str, word: str, context: CheckContext = NO_CONTEXT) -> bool:
    """Whether a spelling finding on the first `word` survives the filters."""
    doc = Document(doc_text, "t.txt", context)
    i = doc_text.index(word)
    f = Finding(rule="LT/MORFOLOGIK_RULE_EN_US", category="spelling", severity="warning",
                message="m", start=i, end=i + len(word), text=word, source="languagetool")
    return bool(filters.drop_names(doc, [f]))


def test_real_errors_with_exact_offsets_after_non_ascii():
    text = "Ein Café 😀 in Zürich: the owner said she go to the bank. It was a honest error.\n"
    found = {f.text: f for f in harper(text)}
    assert found["go"].rule == "HARPER/Agreement" and found["go"].start == text.index(" go ") + 1
    assert found["a"].fix.replacement == "an" and found["a"].category == "grammar"


def test_long_sentences_and_place_name_opinions_are_dropped():
    long = ("The committee, which was set up last spring by the provincial government to oversee "
            "the many different projects that were being carried out at the time across dozens "
            "of counties, towns and villages in the mountain region, met again in Peking on "
            "Friday to review the progress that had been made since its first session.\n")
    assert not [f for f in harper(long) if f.category != "spelling"]


def test_british_spelling_is_accepted():
    assert not [f for f in harper("The colour of the new storey was chosen by the council.\n")
                if f.category == "spelling"]


def test_misspelling_is_reported():
    found = [f for f in harper("The minister said the new plan was a sucess for farmers.\n")
             if f.category == "spelling"]
    assert [f.text for f in found] == ["sucess"]


def test_names_filter():
    # used twice: a name
    assert not spelled("Qiaowenzhi spoke. Later Qiaowenzhi left.\n", "Qiaowenzhi")
    # mid-sentence capital: a name in news copy
    assert not spelled("On Monday the envoy met Qiaowenzhi in the capital.\n", "Qiaowenzhi")
    # sentence-initial, used once, followed by a lowercase word: could be a typo
    assert spelled("Qiaowenzhi arrived on Monday.\n", "Qiaowenzhi")
    # part of a multi-word name at a sentence start
    assert not spelled("Qiaowenzhi Liu arrived on Monday.\n", "Qiaowenzhi")
    # datelines, addresses, hyphenated names, decades
    assert not spelled("CHONGQING, May 3 (Xinhua) -- Rain fell.\n", "CHONGQING")
    assert not spelled("See www.example.cn for details.\n", "cn")
    assert not spelled("Secretary Lau Kin-chung said so.\n", "chung")
    assert not spelled("Films of the 1980s were shown.\n", "s")
    assert not spelled("Residents of Gao'anchang town met.\n", "anchang")
    # a possessive of a common word
    assert not spelled("The local fishermen's association met.\n", "fishermen's")
    # a lowercase typo stays
    assert spelled("The plan was a sucess.\n", "sucess")


def test_lexicon_pins_a_name(tmp_path):
    lex = tmp_path / "names.yaml"
    lex.write_text("- canonical: Qiaowenzhi\n  variants: [Qiao Wenzhi]\n- Lindqvart\n", encoding="utf-8")
    context = CheckContext(names=[lex])
    assert not spelled("Qiaowenzhi arrived on Monday.\n", "Qiaowenzhi", context)
    assert not spelled("Lindqvart arrived on Monday.\n", "Lindqvart", context)


def test_broken_lexicon_is_skipped(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("names: [unclosed\n", encoding="utf-8")
    assert spelled("Qiaowenzhi arrived on Monday.\n", "Qiaowenzhi", CheckContext(names=[bad]))


def test_casing_opinion_on_capitalized_name_is_dropped():
    doc = Document("They flew to Quezon city and to new york.\n", "t.txt")
    mk = lambda w: Finding(rule="LT/EN_SPECIFIC_CASE", category="capitalization", severity="warning",
                           message="m", start=doc.text.index(w), end=doc.text.index(w) + len(w), text=w)
    kept = filters.drop_names(doc, [mk("Quezon city"), mk("new york")])
    assert [f.text for f in kept] == ["new york"]


def test_duplicate_on_same_span_is_dropped_keeping_mtclean():
    text = "The team bought a apple.\n"
    i = text.index(" a ") + 1
    mine = Finding(rule="ART001", category="grammar", severity="warning", message="m",
                   start=i, end=i + 1, text="a", source="rules")
    assert [f.text for f in harper(text)] == ["a"]
    assert harper(text, prior=[mine]) == []


def test_surname_an_is_not_an_article():
    doc = Document("An Jing reported from Madrid. It was an mistake.\n", "t.txt")
    mk = lambda i, w: Finding(rule="LT/EN_A_VS_AN", category="grammar", severity="warning",
                              message="m", start=i, end=i + len(w), text=w)
    i = doc.text.index("an mistake")
    kept = filters.drop_names(doc, [mk(0, "An"), mk(i, "an")])
    assert [f.start for f in kept] == [i]

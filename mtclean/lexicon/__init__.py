"""Word data the checks read: word lists and frequencies (`wordlists`, `wordstore`), the
name lexicons (`name_lexicon`), the entity gazetteer (`gazetteer`) and the spelling keys
that tell transliterations of one name apart from different names (`translit`).

Nothing here flags anything: checks live in mtclean/checks/, one module per family.
"""

"""Words at the edge: no library module holds a Chinese sentence or a code-to-word table shown to people.

The libraries (safeio, evidence, geo, links) return codes; the presenting layers (casebook's
sections, words and commands, the notebooks) turn them into words. This walks the string
constants of every library module (not docstrings, not data files) and flags

- a sentence: Chinese text with sentence punctuation (，。；！？：“”, or 、 in a longer phrase), and
- a word table: a dict from an ASCII code to a Chinese word or a (Chinese, English) pair,

leaving alone what is input grammar rather than output: regular expressions, aliases (several
spellings per key: a table where some key has other than two), keyword lists the code matches input against
(words apart by spaces), character tables, and legal citations (《...》, 第N条, GB standards).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LIBRARIES = ("safeio", "evidence", "geo", "links")

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[，。；！？：“”]")
_REGEX = re.compile(r"\(\?|\\[sdwSDbB]|\[[^\]]*\]|\|")
_CITATION = re.compile(r"《|第[一二三四五六七八九十百零\d]+条|GB/T|GB \d")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _is_text(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _grammar(table: ast.Dict) -> bool:
    """A table the code reads input with: aliases (some key has other than two spellings) or keyword
    lists (some value is several words apart by spaces)."""
    return any((isinstance(v, ast.Tuple) and len(v.elts) != 2)
               or (_is_text(v) and len(v.value.split()) >= 2 and not _SENTENCE.search(v.value))
               for v in table.values)


def shown_words(source: str) -> list[str]:
    """The sentences and code-to-word entries of one module's source."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if _is_text(node) and id(node) not in docs:
            text, n = node.value, len(_CJK.findall(node.value))
            if n >= 2 and not _REGEX.search(text) and not _CITATION.search(text) \
                    and (_SENTENCE.search(text) or ("、" in text and n >= 4)):
                found.append(text)
        if isinstance(node, ast.Dict) and not _grammar(node):
            for key, value in zip(node.keys, node.values, strict=True):
                if not (_is_text(key) and key.value.isascii()):
                    continue
                word = _is_text(value) and _CJK.search(value.value)
                pair = isinstance(value, ast.Tuple) and len(value.elts) == 2 and all(map(_is_text, value.elts)) \
                    and _CJK.search(value.elts[0].value) and not _CJK.search(value.elts[1].value)
                if word or pair:
                    found.append(f"{key.value}: {ast.unparse(value)}")
    return found


def _library_modules():
    for top in LIBRARIES:
        for path in sorted((REPO / top).rglob("*.py")):
            yield path.relative_to(REPO).as_posix(), path


def test_no_library_module_holds_words_shown_to_people():
    found = {name: words[:3] for name, path in _library_modules()
             if (words := shown_words(path.read_text(encoding="utf-8")))}
    assert found == {}, "move these words to casebook/words/ (or the section's words) and pass them in"


def test_the_walker_finds_a_sentence_and_a_word_table_and_leaves_input_grammar_alone():
    assert shown_words('MESSAGE = "未发现关联案件。"\n') == ["未发现关联案件。"]
    assert shown_words('WORDS = {"urban": ("城区", "urban")}\n') == ["urban: ('城区', 'urban')"]
    assert shown_words('STATUS = {"ok": "正常"}\n') == ["ok: '正常'"]
    grammar = ('ALIASES = {"supplier": ("供货单位", "供应商", "供货方")}\n'
               'HEADERS = {"lon": ("经度", "lon", "lng"), "coord_sys": ("坐标系", "coord_sys")}\n'
               'MATCHED = {"drinks": "饮料 饮品 汽水", "tea": "茶"}\n'
               'KEY = re.compile(r"见(?:包装|瓶身)")\n'
               'LAW = "《产品质量法》第二十七条：产品标识应当真实"\n'
               'def f():\n    """中文的说明，不是输出。"""\n')
    assert shown_words(grammar) == []


def test_the_rule_table_holds_no_words_and_every_code_has_its_words_at_the_edge():
    """The rule data file keeps a finding's severity and legal basis only; its message, in each
    language, is in casebook's finding words."""
    import tomllib

    from casebook.words.finding_words import LANGS, MESSAGES

    table = tomllib.loads((REPO / "evidence" / "data" / "finding_rules.toml").read_text(encoding="utf-8"))
    assert {key for row in table.values() for key in row} == {"severity", "basis"}
    assert all(set(MESSAGES[lang]) == set(table) for lang in LANGS)

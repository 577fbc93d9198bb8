"""Extraction throughput: documents per second over generated report-like texts.

Prints the spaCy blank tokenizer alone (the floor any spaCy pipeline pays), the whole extraction
on one process, and on two worker processes through ``docket.extract.run.extract_many`` (what
``docket extract`` uses for many documents: workers forked after the data is loaded, chunks of
documents in, small results out), with the ratios.

    PYTHONPATH=src python bench/extract.py [N_DOCS]
    PYTHONPATH=src python bench/extract.py --write DIR  # files to diff `docket extract --json`
    PYTHONPATH=src python bench/extract.py --components [N_DOCS]  # ms CPU per component, 1 process

How to measure a change: the machine's own speed drifts 10-20% within an hour (the tokenizer line
is the gauge), so compare CPU per document, main and the change alternately, best of three;
``--components`` attributes it; ``--write DIR`` and ``docket extract DIR/*.json --json`` prove the
output byte-identical (every pass so far kept it so).

History, 10,000 documents, quiet machine, docs/s on 1 and 2 processes (tokenizer docs/s beside,
as the machine's speed that day; all 2026-11-26):

- before pass one: 293 and 554 (3.43 ms CPU per document);
- passes 1-8 (sentence bounds without a spaCy Doc, one word walk for all phrase sets, guarded
  regexes, workers sending back rows): 504 and 914 (2.14 ms; tokenizer 13,322);
- passes 9-10 (exact pre-checks before regex work): 469-480 and 798-848 (2.42-2.46 ms;
  tokenizer ~11,000);
- session 6, two rounds of four and three helpers (below): 586-638 and 954-1,117 (1.76-2.05 ms;
  tokenizer 9,842-11,066).

Session 6, main 835e9bd, five runs in a row on a quiet machine: 1,044 / 1,117 / 974 / 954 / 1,048
docs/s on 2 processes, the tokenizer at 11,066 / 10,978 / 9,842 / 10,151 / 10,783 docs/s: the target
of 1,000 is met whenever the machine runs at the issue's reference speed (tokenizer ~11,000) and
missed by 3-5% in its slower phases; 8ccb282 between them: 787 / 804. Per component, ms CPU per
document, one process, 2,000 documents (8ccb282 -> 835e9bd, back to back): sentences 0.125 -> 0.080,
phrases 0.308 -> 0.186, dates 0.078 -> 0.060, casualties 0.312 -> 0.217, places 0.260 -> 0.149,
events 0.190 -> 0.135, event_type 0.054 -> 0.031, claims 0.362 -> 0.233, geocode 0.483 -> 0.359;
all 2.02 -> 1.45 (-28%).
What did it: phrase starts found by one regex of every set's phrases (in C) and the trie read once
per distinct phrase; place names read only after a locative, an apostrophe or a settlement word (3
of ~32 capitalised names a document); sentence bounds by ``str.find`` in ASCII texts; casualty rules
per number and label lines only before a number; aggregate and cue sentences found once per
document; a claim validated once as one nested dict (not ~15 models); actor verdicts once per
document; the geocoder's context scan looking up what to read at a word once per word as written,
cues searched by their rare characters first. Dropped as no faster: ``model_construct`` (slower than
validation here), per-document geocoder result caches (2% of claims repeat a name), a first-two-
words index of gazetteer keys, one regex for all cue strings.

Geocode, main f836323, 2026-11-26 (load 0.9-1.4; 2,000 documents, ~1.9 claims each): 0.49-0.51
ms CPU per document in ``--components``, 0.35-0.37 alone on warm caches. Per document: the
document's scan 0.09 and its hyphen, county and country-cue reading 0.05 (cues 0.03: ~16 plain
searches of the whole text); per claim ~0.1, spread thin: the tail scan and its copy 0.02, the
mention's context (``context_of``) 0.012, ``written_usage`` 0.011, ranking and the site rules
~0.06. No part is 10%: a cached ``_shorter_names``, cached ``occurrences`` and a copy-on-write
``Scan.copy`` (the head holds ~2 cells, 3 keys) each measured within the noise, left out.

Where two processes lose against one (~1.75x, not 2x): each busy process spends 10-15% more CPU
per document than one alone on this machine (two independent runs side by side show it too); the
rows workers make and send back cost the workers ~0.07 ms and the parent ~0.045 ms per document.

Session 13 (2026-11-26, load 3-6: CPU per document swung 1.6-2.1 ms in ``--components`` and
1.9-2.9 in the 2-process run from one run to the next, so these were counted otherwise): the
workers' side (extraction and rows, 150 documents after warm-up) in instructions under
callgrind, 8.35M -> 8.21M per document (-1.7%: ``CasualtyCount.total_bounds`` for the rows, 9 us
less a claim; slotted per-document records); the parent's side by its threads' CPU, 4,000
documents: ``multiprocessing.Pool``'s worker-handler thread woke whenever a result waited in the
pipe and spun until the result thread had read it (~4 ms a chunk), so the parent went from
0.08-0.10 to 0.06 ms per document in chunks of 128 and from 0.10-0.12 to 0.08 in the store's
chunks of 64 with a ``ProcessPoolExecutor``. Short of the 10% asked: no other single item above
~1% was found; the regex scans (Lexicon, capital words) are at their floor in ``re``.

Session 14 (2026-11-26, load 4-7: ``--components`` and the 2-process CPU swung +-10% between
runs, so counted in instructions): the workers' side as in session 13, ``PYTHONHASHSEED=0``
(runs repeat within 0.02%), 8.33M -> 8.09M per document (-2.8%). Where they went on main:
``re`` 20% (the lexicon's scan 8%, mostly its trie walk at ~480 word starts; a pattern that
starts with a class of characters costs a call per character of the text, 1.5% for the
lexicon's), ``pydantic-core`` ~9% (a claim validated, 35 us, and dumped for its row, 20 us),
the rest flat (no Python function above 2% of its own). Kept: the lexicon's phrase starts
after a space found by a pattern starting with the space (an ASCII text's blanks and hyphens
read as spaces, the words after other characters tried one by one) and its trie's branches
common letters first (-1.3%); ``normalize_phrase`` kept by phrase, ``ratio`` imported once
(-0.6%); blanks made spaces by ``bytes.translate`` (half the instructions of
``str.translate``), the lexicon's and the sentence splitter's (-0.9%). Dropped: the same
split for the geocoder's capital-word scan (+1.1%: its many short texts pay the set-up), the
lexicon's split without reading blanks as spaces (+0.8%), positions from ``re.split``
instead of match objects (-1% of the scan only).
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import sys
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    """The words one generator's reports are made of."""

    places: list[str]
    actors: list[str]
    actions: list[str]
    targets: list[str]
    days: list[str]
    counts: list[str]
    filler: list[str]
    closing: str  # a background statistic, closing ~30% of the reports
    attack: str  # the event sentence: {actor} {action} {target} {place} {day} {count} {wounded}
    min_words: int

    def attack_sentence(self, rng: random.Random) -> str:
        lists = (self.actors, self.actions, self.targets, self.places, self.days, self.counts)
        actor, action, target, place, day, count = (rng.choice(words) for words in lists)
        return self.attack.format(
            actor=actor,
            action=action,
            target=target,
            place=place,
            day=day,
            count=count,
            wounded=rng.randint(2, 60),
        )


SYRIA = Vocabulary(
    places=["Ariha", "Sarmin", "Kafr Nabl", "Maarat Misrin", "Atarib", "Binnish", "Saraqib",
            "Jisr al-Shughur", "Kansafra", "Taftanaz", "Hazano", "Dana", "Sarmada", "Khan Shaykhun",
            "Kafr Takharim"],
    actors=["Russian warplanes", "Regime helicopters", "Government forces", "Unidentified aircraft",
            "Suspected Russian jets", "Turkish drones", "Artillery units of the Syrian army"],
    actions=["struck", "bombed", "shelled", "hit", "pounded", "targeted"],
    targets=["a crowded market", "a field hospital", "a primary school",
             "a camp for displaced families", "a bakery", "a residential building",
             "a civil defence centre", "the water station"],
    days=["on Sunday", "early on Monday", "late on Tuesday night", "on 14 February", "last week",
          "yesterday"],
    counts=["at least 11 civilians", "seven people", "more than 20 people",
            "a child and his mother", "two rescue workers", "up to 14 people", "dozens of people"],
    filler=[
        "Residents said the sound of aircraft had kept families awake for most of the night.",
        "Medical staff described corridors crowded with the wounded and a shortage of blood.",
        "Local council members asked aid agencies for tents, fuel and clean water.",
        "The monitoring group said it had documented the incident from several sources.",
        "Shops remained closed for the rest of the day and schools suspended classes.",
        "Rescue teams worked under the rubble until the early hours of the morning.",
        "A spokesman for the relief group said ambulances had struggled to reach the area.",
        "Prices of bread and fuel have risen sharply in the province over recent months.",
    ],
    closing="Since December, the offensive has killed more than 1,500 civilians.",
    attack="{actor} {action} {target} in the town of {place} {day}, killing {count} and wounding "
           "{wounded} others, according to local medics.",
    min_words=400,
)  # fmt: skip

# A second vocabulary with other conflicts' places and words, so that no cache built for the
# towns above can make the identity checks (``--write``) pass by chance.
ELSEWHERE = Vocabulary(
    places=["Taiz", "Hodeidah", "Saada", "El Fasher", "Nyala", "Omdurman", "Kharkiv", "Kherson",
            "Bakhmut", "Zaporizhzhia", "Khan Younis", "Rafah", "Jabalia", "Deir al-Balah", "Gao",
            "Menaka", "Djibo", "Kidal", "Diffa"],
    actors=["Coalition aircraft", "Rapid Support Forces", "Russian forces", "Israeli jets",
            "Armed men on motorbikes", "Militants", "A drone", "Houthi fighters"],
    actions=["attacked", "shelled", "struck", "raided", "fired rockets at", "bombed"],
    targets=["a wedding hall", "a water point", "a displacement camp", "a clinic", "a fuel station",
             "a school shelter", "a mosque", "an apartment block"],
    days=["on Friday", "on 3 March 2024", "overnight", "on Wednesday morning", "two days ago",
          "in mid-April"],
    counts=["at least 9 people", "three children", "about 40 civilians", "a nurse",
            "no fewer than 12 villagers", "five members of one family", "dozens"],
    filler=[
        "Aid convoys have not reached the district for several weeks, officials said.",
        "Families sheltering nearby said they fled on foot with what they could carry.",
        "The health office reported that the only working ambulance was out of fuel.",
        "Witnesses described a second blast minutes after the first one.",
        "Water and electricity were cut across much of the area on the same day.",
        "A local volunteer said the dead were buried the same evening.",
    ],
    closing="Since January, the fighting has killed more than 2,000 civilians.",
    attack="{actor} {action} {target} in {place} {day}, killing {count} and injuring {wounded}, "
           "medics said.",
    min_words=300,
)  # fmt: skip


def make_document(rng: random.Random, words: Vocabulary = SYRIA) -> str:
    """A report-like text: one to three attack sentences, filler up to the vocabulary's
    ``min_words``, sometimes a closing statistic."""
    parts = [words.attack_sentence(rng) for _ in range(rng.randint(1, 3))]
    count = sum(len(p.split()) for p in parts)
    while count < words.min_words:
        sentence = rng.choice(words.filler)
        parts.append(sentence)
        count += len(sentence.split())
    if rng.random() < 0.3:
        parts.append(words.closing)
    return _paragraphs(parts, rng)


def make_other_document(rng: random.Random) -> str:
    """A report-like text about Yemen, Sudan, Ukraine, Gaza or the Sahel."""
    return make_document(rng, ELSEWHERE)


def _paragraphs(sentences: list[str], rng: random.Random) -> str:
    """Paragraphs of one to three sentences, as reports are laid out. (A newline after every
    sentence would make spaCy's tokenizer ~20x slower: each "word.\nWord" is a fresh chunk.)"""
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    return "\n\n".join(paragraphs)


def _extract_chunk(texts: list[str]) -> list[tuple[int, int]]:
    from docket.extract.run import extract_text

    published = dt.date(2020, 5, 11)
    out = []
    for text in texts:
        state = extract_text(text, published=published, language="en")
        out.append((len(state.claims), len(state.aggregates)))
    return out


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its finished child processes."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def component_times(n_docs: int = 1_500, seed: int = 8) -> dict[str, float]:
    """Milliseconds of CPU per document that each pipeline component takes, in one process with
    the workers' garbage-collection threshold, over ``n_docs`` generated documents."""
    import gc

    from docket.extract.pipeline import DocState
    from docket.extract.run import WORKER_GC_THRESHOLD, default_pipeline, warm_up

    warm_up()
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    rng = random.Random(seed)
    texts = [make_document(rng) for _ in range(n_docs)]
    components = default_pipeline().components
    spent = dict.fromkeys((c.name for c in components), 0)
    published = dt.date(2020, 5, 11)
    for text in texts:
        state = DocState(text, published, "en")
        for comp in components:
            started = time.thread_time_ns()
            comp.func(state)
            spent[comp.name] += time.thread_time_ns() - started
    return {name: ns / 1e6 / n_docs for name, ns in spent.items()}


def print_component_times(n_docs: int = 1_500) -> None:
    times = component_times(n_docs)
    for name, ms in times.items():
        print(f"{name:12} {ms:6.3f} ms CPU per document")
    print(f"{'all':12} {sum(times.values()):6.3f} ms CPU per document ({n_docs:,} documents)")


def write_files(directory: str, n_docs: int = 1_500, n_other: int = 200) -> None:
    """Write generated documents as corpus JSON files, to check that a change leaves the output of
    ``docket extract FILES --json`` byte for byte the same."""
    import json
    from pathlib import Path

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    rng, other_rng = random.Random(11), random.Random(12)
    texts = [make_document(rng) for _ in range(n_docs)]
    texts += [make_other_document(other_rng) for _ in range(n_other)]
    for i, text in enumerate(texts):
        record = {"id": f"gen-{i:05d}", "language": "en", "published": "2020-05-11", "text": text}
        (out / f"gen-{i:05d}.json").write_text(json.dumps(record), encoding="utf-8")


def main(n_docs: int = 10_000) -> None:
    rng = random.Random(7)
    texts = [make_document(rng) for _ in range(n_docs)]
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{n_docs:,} generated documents, {words:.0f} words on average")

    import spacy

    nlp = spacy.blank("xx")
    started = time.perf_counter()
    for _ in nlp.tokenizer.pipe(texts, batch_size=256):
        pass
    tokenizer_rate = n_docs / (time.perf_counter() - started)
    print(f"spaCy blank tokenizer, 1 process:  {tokenizer_rate:8,.0f} docs/s")

    # other documents than the timed ones below, so that no cache holds their answers
    sample_rng = random.Random(8)
    sample = [make_document(sample_rng) for _ in range(max(n_docs // 5, 1))]
    _extract_chunk([make_document(sample_rng) for _ in range(20)])  # load data files
    started, cpu = time.perf_counter(), time.process_time()
    _extract_chunk(sample)
    single_rate = len(sample) / (time.perf_counter() - started)
    cpu_rate = len(sample) / (time.process_time() - cpu)
    print(
        f"extraction, 1 process:             {single_rate:8,.0f} docs/s  ({len(sample):,} docs; "
        f"{cpu_rate:,.0f} docs per CPU second)"
    )

    from docket.extract.ops import stored_rows
    from docket.extract.run import extract_many

    published = dt.date(2020, 5, 11)
    items = [(i, text, published, "en") for i, text in enumerate(texts)]
    cpu_before = _cpu_with_children()
    started = time.perf_counter()
    # what `docket extract` runs on many docs: the workers send back the rows to store
    results = list(extract_many(items, processes=2, shape=stored_rows))
    pool_rate = n_docs / (time.perf_counter() - started)
    pool_cpu_ms = 1000 * (_cpu_with_children() - cpu_before) / n_docs
    claims = sum(len(r.claims) for r in results)
    print(
        f"extraction, 2 processes:           {pool_rate:8,.0f} docs/s  ({claims:,} claims; "
        f"{pool_cpu_ms:.2f} ms CPU per document, parent and workers)"
    )
    print(f"ratio tokenizer / extraction (2 processes): {tokenizer_rate / pool_rate:.1f}x")
    print(f"target 1,000 docs/s: {'met' if pool_rate >= 1000 else 'NOT met'}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        write_files(sys.argv[2])
    elif sys.argv[1:2] == ["--components"]:
        print_component_times(int(sys.argv[2]) if len(sys.argv) > 2 else 1_500)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)

"""Extraction throughput: documents per second over generated report-like texts.

Prints the spaCy blank tokenizer alone (the floor any spaCy pipeline pays), the whole extraction
on one process, and on two worker processes through ``docket.extract.run.extract_many`` (what
``docket extract`` uses for many documents: workers forked after the data is loaded, chunks of
documents in, small results out), with the ratios.

    PYTHONPATH=src python bench/extract.py [N_DOCS]
    PYTHONPATH=src python bench/extract.py --write DIR  # files to diff `docket extract --json`
    PYTHONPATH=src python bench/extract.py --components [N_DOCS]  # ms CPU per component, 1 process

Passes one to six (2026-11-26, branches xspeed1-6): 293 -> 521 docs/s on 1 process and 554 ->
781-911 docs/s on 2 (3.43 -> 2.14-2.51 ms CPU per document, parent and workers), quiet, by
sentence bounds without a spaCy Doc, a shared word index for the phrase sets, guarded regexes,
cheaper dates, places and geocoding, and workers sending back only what the caller stores.
Dropped there: second-word filters before a phrase try, a bigger GC threshold. Session 4's
quiet baseline (a machine ~15% slower, main e9db283): tokenizer 11,368 docs/s, 1 process 410
docs/s, 2 processes 747 docs/s (2.62 ms CPU per document).

Seventh pass (branch xscan): one walk over the words of each text whose words are all ASCII
finds every phrase set's phrases at once (``phrases.Lexicon``: the phrases of all 23 sets as one
trie of words, keyed by the gap before each word), and a set or a sentence window reads its hits
from it, where before each of ~30 asks per document tried its pattern at its candidate words
(~240 pattern tries per document). Output byte-identical (``--write`` files and dev). Measured
2026-11-26 with other sessions keeping the machine at load 13-18 (the tokenizer alone ran at
1,100-3,000 docs/s), main and branch alternately, so only CPU compares and roughly: the phrase
work of the pipeline (word index plus every set's asks, replayed for 1,000 documents, best of
five) 569-678 -> 419-472 us per document; per component, 1 process, ms CPU per document (1,000
fresh documents x 3, best of three; the runs whose untouched components cost the same): phrases
0.42 -> 0.37, dates 0.11 -> 0.10, casualties 0.48 -> 0.42, places 0.36 -> 0.32 (the sets and
windows they ask), events, claims and geocode unchanged within noise, total ~0.15 ms (~5%) less.
2 processes, parent and workers, ms CPU per document: 10,000 documents 3.43 / 3.25 -> 3.17 /
3.52 (load 15-18: noise larger than the gain); 4,000 documents, load 6-10, 3.66 / 4.21 -> 3.51 /
3.31 (1 process 344 / 286 -> 385 / 327 docs per CPU second). The target of 1,000 docs/s is not
met: the phrase sets now cost ~0.25 ms of ~2 ms (estimated quiet), and the rest is spread over
components that do not scan for phrases (sentence bounds, casualty rules, place names after
locative words, claims, geocoding); to be re-measured quiet.

Pass xspeed7 (worker overhead, casualties, claims), 2026-11-26, machine overloaded (load 12-19:
tokenizer 1,100-2,700 docs/s), so main and the branch ran at the same time, same documents, CPU
compared. Where two workers' extra CPU goes, per document: the store rows (``stored_rows``) 0.09 ms
(``model_dump`` 0.06, the two totals 0.02), pickling them 0.02, the parent 0.10-0.12 (its main
thread 0.01, unpickling 0.02), ~5 page faults (nothing), a worker's own caches warming up <1%; the
rest is two busy cores. Casualties find sentences with digits by ``str.find``, counts add plain
(low, high) pairs: per component, 1 process, 600 documents x 3: casualties 0.65 -> 0.59, claims
0.54 -> 0.51 ms CPU, the rest unchanged; 2 processes, 2,000 documents x 3: 3.48 / 3.52 / 3.60 ->
3.40 / 3.48 / 3.50 ms CPU per document (-2%). The raised GC threshold now also holds for texts read
in one process (``docket extract`` of fewer than 200): 2.95 -> 2.73 ms CPU per document. Dropped:
rows' ``data`` as JSON text (worker -0.02 ms, parent +0.035), spans built from dicts (-0.3 us
each).

End of session 4 (all passes merged, plus feature cues searched only for a cued kind of
candidate: geofeat's whole-text search had cost ~0.25 ms per document), quiet machine, 10,000
documents: tokenizer 13,322 docs/s, 1 process 504 docs/s, 2 processes 914 docs/s (2.14 ms CPU
per document), ratio 14.6x; e9db283 back to back on 4,000 documents: 845 -> 862 docs/s (2.29 ->
2.22 ms CPU per document). The machine's own speed drifted ~20% within the hour (the same
e9db283 gave 725-845): the target of 1,000 docs/s is not met.

Pass xs8 (2026-11-26, another session loading the machine, load 2-4): a name's area/town usage
cues by one pattern per usage and side (the resolves' ``_usage`` 40 -> 22 us CPU per document)
and Title Case lines counted in bytes (46 -> 36 us), measured by replaying each function on
600-1,000 generated documents, main and branch alternately, best of five; whole runs differ
less than their noise (1 process 436-471 -> 451-469 docs per CPU second). Dropped, no faster:
the context scan by one pattern per name-starting word, sentence chunks found by a pattern or
by ``rfind``.

Pass xspeed9 (2026-11-26, other sessions keeping the machine at load 5-9: only CPU compares): cheap
exact pre-checks before regex work (Title Case lines counted in one bytes translate, datelines tried
only where the run of name characters can end one, end-anchored patterns only where the text ends
with one of their last words, statement dates only with a verb before the stop, day counts, chains
and named victims by the text's word set), words split by an ASCII class, a claim's spans validated
as one list, province keys and usage cues of the geocoder looked up less. Output byte-identical
(``--write`` files, dev) and the same ``eval`` of dev and geo. Per component, 1 process, main and
the branch at the same time on the same 1,500 documents x 3, best of three, three rounds: 2.67 /
2.65 / 2.69 -> 2.48 / 2.44 / 2.42 ms CPU per document (-8%; places -17%, casualties -14%, events
-14%, dates -9%, phrases -5%, geocode -6%). Whole bench, 4,000 documents, alternately: 2 processes
3.00 / 3.00 -> 2.71 / 2.70 ms CPU per document (-10%); 1 process 378 / 409 -> 418 / 447 docs per CPU
second. On the quiet machine's 2.29 ms that is ~2.06 ms; 1,000 docs/s needs ~1.85 ms: still not met.
Dropped: a word walk that looks up the next word first, an OrderedDict of recent word indexes (its
cost is freeing the last text's index), one pattern for the geocoder's country cues (no faster than
its ~20 substring searches).

Pass xspeed10 (2026-11-26, load 2-5, other sessions running: whole runs of main and the branch,
even at the same time, differ by +-10% either way, so only replays of one function compare): the
geocoder's context scan finds name starts by one search and reads a capital's following words
only where a name may start (head scan of a bench text 86 -> 79 us CPU), the text asked last
answers ``word_index`` without the LRU dict (~80% of ~34 asks per document), places' patterns
compiled once, a sentence piece's places looked up once. Output byte-identical; by the replays
~0.5-1% per document, far from the ~10% that 1,000 docs/s needs (whole bench, 4,000 documents,
alternately, 2 processes: 2.60 / 2.36 -> 2.38 / 2.50 ms CPU per document, within noise).
Dropped: a claim's casualties by one ``model_validate`` of nested dicts (10 -> 8 us a claim). Where
the ~2.1 ms goes now (1 process, the workers' GC threshold, ms CPU): geocode 0.46 (country cues
0.05, head scan 0.08), claims 0.33, casualties 0.30, phrases 0.29, places 0.25, events 0.18,
sentences 0.12, dates 0.07; each spread over many small functions.

End of session 5 (2026-11-26, xspeed9 and xspeed10 merged; output byte-identical throughout):
whole bench, 10,000 documents, main and 4861e84 alternately on a quiet machine: 2 processes
798 / 810 / 848 against 671 / 758 / 777 docs/s (2.42-2.46 against 2.52-2.93 ms CPU per document);
1 process 469-480 against 368-470. Later, in a slower phase (tokenizer 10.1k docs/s): 725-778.
1,000 docs/s is not met: two busy processes each spend 10-15% more CPU per document than one
alone on this machine, so one process would have to reach ~570 docs/s (~1.75 ms a document).
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

"""`qualcode suggest`: code suggestions, evaluation, autocode proposals and their review, find similar."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from qualcode.cli.common import JsonOption, console, err_console, open_db, print_json
from qualcode.errors import InvalidInput

CoderOption = Annotated[str, typer.Option("--coder", envvar="QUALCODE_CODER", help="Who is reviewing or coding.")]
ModelCoderOption = Annotated[
    str | None, typer.Option("--model-coder", help="Learn from this coder's codings only (default: every coder's).")
]
SegmentOption = Annotated[int | None, typer.Option("--segment", "-s", help="Segment index in the document (from 0).")]
LOW_CONFIDENCE = 0.1  # shown dimmed in tables: a display choice, never a cut
TopOption = Annotated[int, typer.Option("--top", "-k", min=1, max=50, help="How many suggestions per segment.")]


class SuggestGroup(TyperGroup):
    """`qualcode suggest DOC ...` means `qualcode suggest show DOC ...`: a group cannot also take a positional DOC."""

    def parse_args(self, ctx, args):
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["show", *args]
        return super().parse_args(ctx, args)


suggest = typer.Typer(
    cls=SuggestGroup,
    no_args_is_help=True,
    help=(
        "Code suggestions learned from the codebook and your codings. Example: qualcode suggest interview-01 "
        "--segment 3 (the same as 'qualcode suggest show interview-01 --segment 3'; use 'show' for a document "
        "whose title is also a subcommand name)."
    ),
)


def _suggester(model_coder: str | None = None):
    from qualcode.nlp.suggest.service import ProjectSuggester

    return ProjectSuggester(open_db(), coder=model_coder).load()


def _pipeline_info():
    from qualcode.nlp.pipeline import load_pipeline
    from qualcode.nlp.suggest.keywords import MATCH_DISABLE

    return load_pipeline(disable=MATCH_DISABLE).info  # cached: the one the keyword matcher already loaded


def _suggestion_json(s) -> dict:
    return {
        "code_id": s.code_id, "code": s.code_path, "confidence": s.confidence, "explanation": s.explanation(),
        "keywords": list(s.keywords), "features": list(s.features), "components": s.components,
        "similar": [{"document_id": e.document_id, "segment": e.segment_index, "text": e.text} for e in s.similar],
        "dismissed_before": s.penalised,
    }


def _print_notice(notice: str) -> None:
    if notice:
        err_console.print("[yellow]notice:[/] weaker suggestions, no English spaCy model installed:\n" + escape(notice))


@suggest.command("show")
def show(
    doc: Annotated[str, typer.Argument(help="Document id or title.")],
    segment: SegmentOption = None,
    top: TopOption = 5,
    model_coder: ModelCoderOption = None,
    as_json: JsonOption = False,
) -> None:
    """Suggest codes for a segment (or every segment) of a document: always the top N codes, with confidences.

    The fitted model and its answers are kept in the per-user cache, so asking again of an unchanged
    project reads the answer instead of refitting. Example: qualcode suggest interview-01 --segment 3 --json
    """
    from qualcode.cli.common import project_url
    from qualcode.nlp.suggest import model_cache

    payload = model_cache.peek(project_url(), model_coder, doc, segment, top)
    if payload is None:
        from qualcode.nlp.suggest.service import ProjectSuggester
        from qualcode.store import documents

        db = open_db()
        key = model_cache.project_key(str(db.url), model_coder, None)
        with db.reading() as session:
            fingerprint = model_cache.fingerprint(session)
            document = documents.resolve(session, doc)
            indexes = [s.index for s in documents.segments(session, document.id)] if segment is None else [segment]
        name = model_cache.answer_name(document.id, segment, top)
        suggester = ProjectSuggester(db, coder=model_coder).load()
        results = [suggester.for_segment(document.id, i, top) for i in indexes]
        payload = {
            "pipeline": suggester.pipeline_name, "notice": suggester.notice, "trained_on": suggester.trained_on,
            "segments": [
                {"document_id": r.document_id, "document": r.document_title, "segment": r.segment_index,
                 "start": r.start, "end": r.end, "text": r.text,
                 "suggestions": [_suggestion_json(s) for s in r.suggestions]}
                for r in results
            ],
        }
        if suggester.fingerprint == fingerprint:  # nothing changed while it was fitting
            model_cache.save_answers(key, fingerprint, name, payload)
    if as_json:
        print_json(payload)
        return
    _print_notice(payload["notice"])
    for r in payload["segments"]:
        console.print(f"[bold]{escape(r['document'])}[/] segment {r['segment']}: [dim]{escape(_clip(r['text']))}[/]")
        table = Table("code", "confidence", "why")
        for s in r["suggestions"]:
            # Every code asked for is listed; a low confidence is dimmed, not dropped.
            style = "dim" if s["confidence"] < LOW_CONFIDENCE else None
            table.add_row(escape(s["code"]), f"{s['confidence']:.2f}", escape(s["explanation"]), style=style)
        console.print(table if r["suggestions"] else "  (no suggestion)")


@suggest.command("evaluate")
def evaluate(
    train_fraction: Annotated[float, typer.Option("--train-fraction", help="Share of coded segments to train on.")] = 0.5,
    repeats: Annotated[int, typer.Option(min=1, max=50, help="Random train/test splits, pooled.")] = 5,
    threshold: Annotated[float, typer.Option(help="Confidence at which a code counts as predicted (F1, kappa).")] = 0.4,
    cold: Annotated[bool, typer.Option("--cold", help="Codebook only: test definitions and keywords, no codings.")] = False,
    protocol: Annotated[str, typer.Option(
        "--protocol",
        help="split: train on a random share of the seen segments, test on the rest; half-coded: in each document "
             "half the segments coded at random, suggestions for the other half (unlabelled, as in use).",
    )] = "split",
    model_coder: ModelCoderOption = None,
    as_json: JsonOption = False,
) -> None:
    """Cross-validate suggestions on this project's own codings. Example: qualcode suggest evaluate --protocol half-coded --json"""
    from dataclasses import asdict

    from qualcode.nlp.suggest.corpus import load_corpus
    from qualcode.nlp.suggest.evaluate import PROTOCOLS, cold_start, cross_validate, half_coded

    if protocol not in PROTOCOLS:
        raise InvalidInput(f"--protocol must be one of {', '.join(PROTOCOLS)}, not '{protocol}'")
    db = open_db()
    with db.reading() as session:
        corpus = load_corpus(session, model_coder)
    if cold:
        report = cold_start(corpus, threshold=threshold)
    elif protocol == "half-coded":
        report = half_coded(corpus, repeats=repeats, threshold=threshold)
    else:
        report = cross_validate(corpus, train_fraction=train_fraction, repeats=repeats, threshold=threshold)
    info = _pipeline_info()
    if as_json:
        print_json({**asdict(report), "pipeline": info.name, "notice": info.notice})
        return
    _print_notice(info.notice)
    console.print(
        f"units {report.units} (coded {report.coded_units}); precision@1 {report.precision_at_1:.3f}, "
        f"recall@3 {report.recall_at_3:.3f}, hit@3 {report.hit_at_3:.3f}, micro F1 {report.micro_f1:.3f}, "
        f"macro F1 {report.macro_f1:.3f} at threshold {report.threshold}"
    )
    for note in report.notes:
        console.print(f"[dim]{escape(note)}[/]")
    table = Table("code", "coded", "predicted", "kappa")
    for c in sorted(report.per_code, key=lambda c: -c.support):
        table.add_row(escape(c.code_path), str(c.support), str(c.predicted), "-" if c.kappa is None else f"{round(c.kappa, 2) + 0.0:.2f}")  # + 0.0: no "-0.00"
    console.print(table)


@suggest.command("autocode")
def autocode_cmd(
    threshold: Annotated[float, typer.Option("--threshold", "-t", help="Queue codes at or above this confidence.")],
    coder: CoderOption,
    doc: Annotated[str | None, typer.Option("--doc", help="Only this document.")] = None,
    model_coder: ModelCoderOption = None,
    as_json: JsonOption = False,
) -> None:
    """Queue autocode proposals for review; nothing is applied. Example: qualcode suggest autocode --threshold 0.6 --coder alex"""
    from dataclasses import asdict

    from qualcode.nlp.suggest.autocode import autocode

    suggester = _suggester(model_coder)
    run = autocode(suggester.db, suggester, threshold, coder, document=doc)
    if as_json:
        print_json({**asdict(run), "notice": suggester.notice})
        return
    _print_notice(suggester.notice)
    console.print(
        f"run {run.run}: {run.queued} proposal(s) queued from {run.segments} segment(s) "
        f"({run.already_coded} already coded, {run.already_pending} already pending). "
        "Review with 'qualcode suggest proposals' and 'qualcode suggest review'."
    )


@suggest.command("proposals")
def proposals_cmd(
    status: Annotated[str, typer.Option(help="pending, accepted, rejected or all.")] = "pending",
    as_json: JsonOption = False,
) -> None:
    """List autocode proposals. Example: qualcode suggest proposals --status pending --json"""
    from qualcode.nlp.suggest import feedback
    from qualcode.store import codes, documents

    with open_db().reading() as session:
        items = feedback.proposals(session, None if status == "all" else status)
        paths = {c.id: c.path for c in codes.list_all(session)}
        docs = {d.id: d for d in documents.list_all(session)}
    rows = [
        {"id": p.id, "run": p.run, "document_id": p.document_id, "document": docs[p.document_id].title,
         "segment": p.explanation.get("segment"), "start": p.start, "end": p.end, "code": paths.get(p.code_id),
         "score": p.score, "status": p.status, "explanation": p.explanation,
         "text": docs[p.document_id].text[p.start : p.end]}
        for p in items
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "doc", "segment", "code", "score", "status", "why", "text")
    for r in rows:
        table.add_row(str(r["id"]), escape(r["document"]), str(r["segment"]), escape(str(r["code"])), f"{r['score']:.2f}",
                      r["status"], escape(r["explanation"].get("summary", "")), escape(_clip(r["text"], 60)))
    console.print(table if rows else f"no {status} proposals")


@suggest.command("review")
def review_cmd(
    coder: CoderOption,
    accept: Annotated[list[str] | None, typer.Option("--accept", help="Proposal ids to accept (repeat or comma-separate).")] = None,
    reject: Annotated[list[str] | None, typer.Option("--reject", help="Proposal ids to reject (repeat or comma-separate).")] = None,
    accept_all: Annotated[bool, typer.Option("--accept-all", help="Accept every pending proposal not rejected here.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Accept (codes with provenance autocode) or reject proposals. Example: qualcode suggest review --accept 3,4 --reject 5 --coder alex"""
    from qualcode.nlp.suggest.autocode import review

    result = review(open_db(), coder, _ids(accept), _ids(reject), accept_all=accept_all)
    if as_json:
        print_json({"accepted_codings": [c.id for c in result.accepted], "rejected": result.rejected})
        return
    console.print(f"accepted {len(result.accepted)} proposal(s) as codings; rejected {len(result.rejected)}")


@suggest.command("similar")
def similar_cmd(
    doc: Annotated[str, typer.Argument(help="Document id or title.")],
    segment: Annotated[int, typer.Option("--segment", "-s", help="Segment index in the document (from 0).")],
    top: TopOption = 5,
    coded: Annotated[bool, typer.Option("--coded", help="Only excerpts someone has coded.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Excerpts most like a given segment, coded or not. Example: qualcode suggest similar interview-01 --segment 3"""
    from qualcode.nlp.suggest.similar import SimilarityIndex
    from qualcode.store import codes, documents

    suggester = _suggester()
    excerpt, _title = suggester.locate(doc, segment)
    learned = suggester.ranker.components.get("learned")
    # The sentence vectors the learned model reads (fitted on this project), so both see the same meaning.
    index = SimilarityIndex(suggester.corpus.segments, sentence_vectors=getattr(learned[0], "vectors_", None) if learned else None).fit()
    hits = index.most_similar(excerpt.text, top, exclude=(excerpt.document_id, segment), coded_only=coded)
    with suggester.db.reading() as session:
        paths = {c.id: c.path for c in codes.list_all(session)}
        titles = {d.id: d.title for d in documents.list_all(session)}
    rows = [
        {"document_id": h.excerpt.document_id, "document": titles[h.excerpt.document_id], "segment": h.excerpt.segment_index,
         "similarity": h.similarity, "codes": sorted(paths[c] for c in h.excerpt.codes), "text": h.excerpt.text}
        for h in hits
    ]
    if as_json:
        print_json({"notice": suggester.notice, "similar": rows})
        return
    _print_notice(suggester.notice)
    table = Table("doc", "segment", "similarity", "codes", "text")
    for r in rows:
        table.add_row(escape(r["document"]), str(r["segment"]), f"{r['similarity']:.2f}", escape(", ".join(r["codes"])),
                      escape(_clip(r["text"], 70)))
    console.print(table)


@suggest.command("accept")
def accept_cmd(
    doc: Annotated[str, typer.Argument(help="Document id or title.")],
    segment: Annotated[int, typer.Option("--segment", "-s", help="Segment index in the document (from 0).")],
    code: Annotated[str, typer.Option("--code", help="Code path or name to apply.")],
    coder: CoderOption,
) -> None:
    """Apply a suggested code to a segment (provenance: suggestion). Example: qualcode suggest accept interview-01 -s 3 --code community/site --coder alex"""
    from qualcode.nlp.suggest.service import ProjectSuggester

    suggester = ProjectSuggester(open_db())
    excerpt, title = suggester.locate(doc, segment)
    coding = suggester.accept(coder, excerpt.document_id, excerpt.start, excerpt.end, code)
    suggester.wait()
    console.print(f"coded {escape(title)} segment {segment} with {escape(code)} (coding {coding.id}, provenance suggestion)")


@suggest.command("dismiss")
def dismiss_cmd(
    doc: Annotated[str, typer.Argument(help="Document id or title.")],
    segment: Annotated[int, typer.Option("--segment", "-s", help="Segment index in the document (from 0).")],
    code: Annotated[str, typer.Option("--code", help="Code path or name that does not fit.")],
    coder: CoderOption,
) -> None:
    """Dismiss a suggestion so it is down-weighted from now on. Example: qualcode suggest dismiss interview-01 -s 3 --code community/site --coder alex"""
    from qualcode.nlp.suggest.service import ProjectSuggester

    suggester = ProjectSuggester(open_db())
    excerpt, title = suggester.locate(doc, segment)
    suggester.dismiss(coder, excerpt.document_id, excerpt.start, excerpt.end, code)
    suggester.wait()
    console.print(f"dismissed {escape(code)} for {escape(title)} segment {segment}")


@suggest.command("coded")
def coded_cmd(
    docs: Annotated[list[str], typer.Argument(help="Document ids or titles.")],
    coder: CoderOption,
    undo: Annotated[bool, typer.Option("--undo", help="Withdraw the mark.")] = False,
) -> None:
    """Mark documents as read through by a coder: their uncoded segments then teach "not this code".

    Until then only coded segments, the segments between a coder's first and last codings (made in
    qualcode, not imported) and dismissed ones count as seen; the rest are unknown, not negatives.
    Example: qualcode suggest coded interview-01 interview-02 --coder alex
    """
    from qualcode.nlp.suggest import seen
    from qualcode.store import documents

    with open_db().transaction() as session:
        ids = [documents.resolve(session, d).id for d in docs]
        seen.mark_coded(session, coder, ids, done=not undo)
    console.print(f"{'unmarked' if undo else 'marked'} {len(ids)} document(s) as coded by {escape(coder)}")


def _ids(values: list[str] | None) -> list[int]:
    ids = []
    for value in values or []:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise InvalidInput(f"proposal ids are whole numbers, not '{part}'")
            ids.append(int(part))
    return ids


def _clip(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def register(app: typer.Typer) -> None:
    app.add_typer(suggest, name="suggest")

"""``casebook sample``: write the deterministic sample casebook."""

from pathlib import Path

import click


@click.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--cases", "n_cases", type=click.IntRange(1, 500), default=30, show_default=True,
              help="How many cases to write.")
@click.option("--seed", type=int, default=2024, show_default=True,
              help="The same seed always gives the same casebook, byte for byte.")
def sample(out_dir: Path, n_cases: int, seed: int) -> None:
    """Write a realistic sample casebook (周口市) to OUT_DIR, with truth.json for scoring."""
    from casebook.sample.sample_casebook import write_sample

    book = write_sample(out_dir, n_cases=n_cases, seed=seed)
    click.echo(f"Sample casebook: {book.n_cases} cases, {book.n_labels} label photos, "
               f"{book.n_evidence_files} evidence files in {out_dir}")

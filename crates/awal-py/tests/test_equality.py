"""The same input gives the same kept documents from `awal prepare`, the Spark job and the Ray
job: identical (source, text, lang) multiset, identical record lines in the same order, and an
identical manifest (balance, stage and per-reason counts, PII, languages, scripts, splits, skip
examples, inputs, config) but for the shard names."""

import pytest
from conftest import SAMPLE, assert_same_run, manifest, run_cli

from awal import _engine
from awal.ray import run_prepare as ray_prepare
from awal.spark import run_prepare as spark_prepare

CASES = {
    # corpus, CLI flags
    "sample": (SAMPLE, []),
    "generated": (None, []),
    "generated-options": (
        None,
        ["--lid", "script", "--split", "valid=0.25", "--shard-size", "4K", "--compress", "gz", "--normalize", "auto"],
    ),
}


def _spec(flags):
    import argparse

    p = argparse.ArgumentParser()
    _engine.add_prepare_args(p)
    args = p.parse_args(["x", "--out", "y", *flags])
    return _engine.Spec(_engine.config_from_args(args), args.lid, args.lid_model)


@pytest.fixture(scope="module")
def cli_runs(awal_bin, generated, tmp_path_factory):
    runs = {}
    for name, (corpus, flags) in CASES.items():
        out = str(tmp_path_factory.mktemp("cli") / name)
        run_cli(awal_bin, [corpus or generated], out, *flags)
        runs[name] = (corpus or generated, flags, out)
    return runs


def test_generated_corpus_exercises_every_stage(cli_runs):
    m = manifest(cli_runs["generated"][2])
    assert m["balance"]["ok"] and len(m["inputs"]) == 5
    dedup = m["stages"][3]["dropped"]
    assert dedup.get("exact", 0) >= 5 and dedup.get("near", 0) >= 3, dedup
    assert set(m["stages"][0]["dropped"]) >= {"invalid_utf8", "nul_byte", "malformed_json", "missing_text_field"}
    assert m["stages"][1]["dropped"] and m["redacted_docs"] >= 2
    # Several shards per split (small --shard-size, two splits).
    assert len(manifest(cli_runs["generated-options"][2])["outputs"]) > 2


@pytest.mark.parametrize("case", list(CASES))
def test_spark_equals_cli(spark, cli_runs, case, tmp_path):
    corpus, flags, cli_out = cli_runs[case]
    spark_prepare(spark, _spec(flags), [corpus], str(tmp_path / "spark"))
    assert_same_run(cli_out, str(tmp_path / "spark"), "spark")


@pytest.mark.parametrize("case", list(CASES))
def test_ray_equals_cli(ray_session, cli_runs, case, tmp_path):
    corpus, flags, cli_out = cli_runs[case]
    ray_prepare(_spec(flags), [corpus], str(tmp_path / "ray"))
    assert_same_run(cli_out, str(tmp_path / "ray"), "ray")

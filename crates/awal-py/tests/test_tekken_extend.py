"""A Tekken extension a model can use (issue 11, item 4).

`awal tokenizer extend` on a Tekken file must give a file that mistral-common loads, that encodes
every other language exactly as the base did, encodes Tifinagh with fewer tokens and decodes
every line back to itself; and its embedding-initialisation map must let
`awal.hf.extend_embeddings` give a transformers model the new rows (mean of the base rows)
without touching the old ones. The base is a small Tekken trained here on the project's own
sentences (no download); the same checks run on Mistral's Tekken when ../shared has it.
"""

import base64
import json
import os
import subprocess

import pytest

from conftest import ROOT, toy_tekken

Tekkenizer = pytest.importorskip("mistral_common.tokens.tokenizers.tekken").Tekkenizer

LID = os.path.join(ROOT, "corpora", "lid")
NUM_SPECIAL = 100
SHARED_TEKKEN = os.path.join(ROOT, "..", "shared", "tokenizers", "tekken_240718.json")


def lines(name):
    with open(os.path.join(LID, name), encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def token_bytes_by_id(tekken_doc):
    special = tekken_doc["config"]["default_num_special_tokens"]
    used = tekken_doc["config"]["default_vocab_size"] - special
    return {
        e["rank"] + special: base64.b64decode(e["token_bytes"])
        for e in tekken_doc["vocab"][:used]
    }


def extend(awal_bin, base, corpus_lines, add, out_dir):
    corpus = os.path.join(out_dir, "tfng.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        f.write("\n".join(corpus_lines) + "\n")
    out = os.path.join(out_dir, "extended.json")
    subprocess.run(
        [awal_bin, "tokenizer", "extend", "--base", base, "--corpus", f"zgh_Tfng={corpus}",
         "--add", str(add), "--script", "tfng", "--output", out],
        check=True, capture_output=True,
    )
    with open(out + ".init.json", encoding="utf-8") as f:
        return out, json.load(f)


def encode(tok, text):
    return tok.encode(text, bos=False, eos=False)


def check_extension(base_path, ext_path, init_map, tifinagh_held_out):
    """The checks of issue 11 item 4 on any base: mistral-common loads the extension, other
    languages encode as before, held-out Tifinagh gets fewer tokens, every line decodes back."""
    base, ext = Tekkenizer.from_file(base_path), Tekkenizer.from_file(ext_path)
    assert ext.n_words == init_map["vocab_size"] > base.n_words == init_map["base_vocab_size"]
    others = [l for n in ("eng_Latn.txt", "fra_Latn.txt", "arb_Arab.txt", "ary_Latn.txt",
                          "kab_Latn.txt") for l in lines(n)]
    for line in others:
        assert encode(ext, line) == encode(base, line), line
    before = sum(len(encode(base, l)) for l in tifinagh_held_out)
    after = sum(len(encode(ext, l)) for l in tifinagh_held_out)
    assert after < 0.8 * before, (before, after)
    for line in tifinagh_held_out:
        assert len(encode(ext, line)) <= len(encode(base, line)), line
    for line in others + tifinagh_held_out:
        assert ext.decode(encode(ext, line)) == line
    return before, after


def check_init_map(base_doc, init_map):
    by_id = token_bytes_by_id(base_doc)
    assert init_map["format"] == "awal-embedding-init/1"
    assert init_map["new_tokens"], "no token was added"
    for t in init_map["new_tokens"]:
        assert all(b < init_map["base_vocab_size"] for b in t["base_ids"])
        spelled = b"".join(by_id[b] for b in t["base_ids"])
        assert spelled == base64.b64decode(t["token_bytes"])


@pytest.fixture(scope="module")
def toy(awal_bin, tmp_path_factory):
    out_dir = str(tmp_path_factory.mktemp("tekken"))
    texts = [l for n in ("eng_Latn.txt", "fra_Latn.txt", "arb_Arab.txt", "ary_Latn.txt")
             for l in lines(n)]
    doc = toy_tekken(texts, merges=300, num_special=NUM_SPECIAL)
    base = os.path.join(out_dir, "base.json")
    with open(base, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    tfng = lines("zgh_Tfng.txt") + lines("taq_Tfng.txt")
    train, held_out = tfng[: len(tfng) * 4 // 5], tfng[len(tfng) * 4 // 5:]
    ext, init_map = extend(awal_bin, base, train, 400, out_dir)
    return doc, base, ext, init_map, held_out


def test_toy_extension_loads_in_mistral_common_and_changes_only_tifinagh(toy):
    _, base, ext, init_map, held_out = toy
    check_extension(base, ext, init_map, held_out)


def test_init_map_spells_every_new_token_with_base_ids(toy):
    doc, _, _, init_map, _ = toy
    check_init_map(doc, init_map)


def test_extend_embeddings_keeps_old_rows_and_averages_new_ones(toy):
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    import awal.hf

    _, _, ext, init_map, held_out = toy
    torch.manual_seed(0)
    config = transformers.MistralConfig(
        vocab_size=init_map["base_vocab_size"], hidden_size=32, intermediate_size=64,
        num_hidden_layers=1, num_attention_heads=4, num_key_value_heads=2,
        max_position_embeddings=512, tie_word_embeddings=False,
    )
    model = transformers.MistralForCausalLM(config).eval()
    old_in = model.get_input_embeddings().weight.detach().clone()
    old_out = model.get_output_embeddings().weight.detach().clone()

    assert awal.hf.extend_embeddings(model, ext + ".init.json") is model

    new_in = model.get_input_embeddings().weight.detach()
    new_out = model.get_output_embeddings().weight.detach()
    base = init_map["base_vocab_size"]
    assert new_in.shape[0] == new_out.shape[0] == init_map["vocab_size"]
    assert torch.equal(new_in[:base], old_in) and torch.equal(new_out[:base], old_out)
    for t in init_map["new_tokens"]:
        ids = torch.tensor(t["base_ids"])
        assert torch.allclose(new_in[t["id"]], old_in[ids].mean(0), atol=1e-6)
        assert torch.allclose(new_out[t["id"]], old_out[ids].mean(0), atol=1e-6)

    ids = encode(Tekkenizer.from_file(ext), held_out[0])
    assert max(ids) >= base, "the held-out line uses no new token"
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits
    assert logits.shape == (1, len(ids), init_map["vocab_size"])
    assert torch.isfinite(logits).all()


def test_extend_embeddings_refuses_a_map_of_another_model(toy):
    pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    import awal.hf

    _, _, ext, init_map, _ = toy
    config = transformers.MistralConfig(
        vocab_size=init_map["base_vocab_size"] - 1, hidden_size=16, intermediate_size=32,
        num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=1,
    )
    with pytest.raises(ValueError, match="embedding rows"):
        awal.hf.extend_embeddings(transformers.MistralForCausalLM(config), ext + ".init.json")
    bad = dict(init_map, new_tokens=[{"id": 0, "base_ids": [1], "token_bytes": ""}])
    with pytest.raises(ValueError, match="outside"):
        awal.hf.load_init_map(bad)


@pytest.mark.skipif(not os.path.exists(SHARED_TEKKEN), reason="../shared/tokenizers not here")
def test_mistral_tekken_extension(awal_bin, tmp_path):
    tfng = lines("zgh_Tfng.txt") + lines("taq_Tfng.txt")
    train, held_out = tfng[: len(tfng) * 4 // 5], tfng[len(tfng) * 4 // 5:]
    ext, init_map = extend(awal_bin, SHARED_TEKKEN, train, 1000, str(tmp_path))
    with open(SHARED_TEKKEN, encoding="utf-8") as f:
        check_init_map(json.load(f), init_map)
    check_extension(SHARED_TEKKEN, ext, init_map, held_out)

"""`python -m convene tally`: output formats, published files, and clean failures."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from convene.tallycli import main
from tests.unit.tally.helpers import ELECTIONS, election_path

REPO = ELECTIONS.parents[2]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_tennessee(capsys):
    code, out, err = run(capsys, election_path("irv_condorcet_tennessee_textbook", "ballots.txt"))
    assert code == 0
    assert err == ""
    assert (
        "Round 1: Chattanooga is eliminated with 15 votes; 15 votes transfer to Knoxville." in out
    )
    assert out.rstrip().endswith("Elected: Knoxville")
    knox = next(line for line in out.splitlines() if line.startswith("Knoxville"))
    assert knox.split() == ["Knoxville", "17", "32", "58*"]


def test_text_output_in_spanish(capsys):
    path = election_path("irv_condorcet_tennessee_textbook", "ballots.txt")
    code, out, _err = run(capsys, path, "--language", "es")
    assert code == 0
    assert out.startswith("Método: Segunda vuelta instantánea; puestos: 1; boletas: 100")
    assert "Vuelta 1: Chattanooga queda fuera con 15 votos; 15 votos se transfieren a" in out
    assert out.rstrip().endswith("Obtienen puesto: Knoxville")
    assert run(capsys, path, "--language", "xx")[0] == 2


def test_spanish_text_output_writes_numbers_the_spanish_way(capsys):
    path = election_path("stv_edinburgh_2017_ward01_almond", "ballots.blt.gz")
    _code, english, _err = run(capsys, path)
    code, spanish, _err = run(capsys, path, "--language", "es")
    assert code == 0
    assert english.splitlines()[1] == (
        "Method: Single transferable vote (STV) (Scottish rules); seats: 4; ballots: 14,207; "
        "quota: 2,842"
    )
    assert spanish.splitlines()[1] == (
        "Método: Voto único transferible (VUT) (reglas escocesas); puestos: 4; boletas: 14.207; "
        "cuota: 2.842"
    )
    # The table and the sentences: thousands with a point, decimals with a comma.
    row = next(line for line in spanish.splitlines() if line.startswith("Graham HUTCHISON"))
    assert row.split()[2:5] == ["2.395", "2.727,8", "2.995,20116*"]
    assert "2.514,90304 votos para Louise YOUNG" in spanish
    assert "2,514.90304 votes to Louise YOUNG" in english
    assert "Kevin  LANG transfiere su excedente de 3.237 votos" in spanish


def test_json_output_blt_defaults_to_stv_with_header_seats(capsys):
    code, out, _ = run(
        capsys, election_path("stv_opavote_scottish_example", "ballots.blt"), "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["method"] == "stv"
    assert data["rule"] == "scottish"
    assert data["seats"] == 3
    assert data["winners"] == ["Alice", "Bob", "Chris"]
    assert data["quota"] == {"exact": "16", "float": 16.0}
    assert data["details"]["title"] == "OpaVote Scottish STV example (3 seats)"


def test_meek_rule_and_seats_override(capsys):
    path = election_path("stv_wikipedia_food_example", "ballots.blt")
    code, out, _ = run(capsys, path, "--rule", "meek", "--seats", "2", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["rule"] == "meek"
    assert len(data["winners"]) == 2
    code, out, _ = run(capsys, path, "--method", "irv", "--format", "json")
    assert json.loads(out)["winners"] == ["chocolate"]


def _rules_line(out: str, word: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(word))


def test_the_rules_line_says_the_rules_in_words_in_the_reader_s_language(tmp_path, capsys):
    ranked = tmp_path / "ranked.csv"
    ranked.write_text("Count,Rank 1,Rank 2,Rank 3\n3,a,b,\n2,b,a,\n1,c,,a\n", encoding="utf-8")
    _, english, _ = run(capsys, ranked)
    assert _rules_line(english, "Rules:") == (
        "Rules: ties: looking back at earlier rounds, then a lot drawn from the seed; "
        "one candidate eliminated at a time; the count stops at a majority; "
        "an overvote (two or more candidates at one rank) ends the ballot; "
        "skipped ranks are passed over; a candidate ranked again is passed over; "
        "every rank counts; names that are not candidates are refused; "
        'marks: "overvote" is an overvote, "undervote" a skipped rank, '
        '"UWI" a name that is not a candidate'
    )
    flags = ["--overvote", "exhaust_if_multiple_continuing", "--max-skipped", "1"]
    flags += ["--duplicates", "exhaust", "--max-rankings", "2", "--write-ins", "drop"]
    flags += ["--batch-elimination", "--until-two", "--tie-order", "c,b,a"]
    flags += ["--overvote-label", "OV"]
    _, english, _ = run(capsys, ranked, *flags)
    code, spanish, _ = run(capsys, ranked, *flags, "--language", "es")
    assert code == 0
    assert _rules_line(english, "Rules:") == (
        "Rules: ties: looking back at earlier rounds, then the published order of the "
        "candidates; batch elimination: the lowest candidates go together when their votes "
        "added up are fewer than the next candidate's; the count goes on until two "
        "candidates remain; an overvote (two or more candidates at one rank) ends the ballot "
        "only if two or more of them are still in the count; the ballot ends after more "
        "than 1 skipped rank in a row; a candidate ranked again ends the ballot; only the "
        "first 2 ranks count; names that are not candidates are dropped before round 1; "
        'marks: "OV" is an overvote, "undervote" a skipped rank, "UWI" a name that is not '
        "a candidate"
    )
    assert _rules_line(spanish, "Reglas:") == (
        "Reglas: empates: se miran las vueltas anteriores y, si no basta, el orden publicado "
        "de las candidaturas; eliminación en bloque: las candidaturas con menos votos quedan "
        "fuera juntas cuando sus votos sumados son menos que los de la siguiente; el conteo "
        "sigue hasta que quedan dos candidaturas; un sobrevoto (dos o más candidaturas en una "
        "misma preferencia) termina la boleta solo si dos o más de ellas siguen en el conteo; "
        "la boleta termina tras más de 1 preferencia en blanco seguida; una candidatura "
        "marcada otra vez termina la boleta; solo cuentan las 2 primeras preferencias; los "
        "nombres que no son candidaturas se descartan antes de la vuelta 1; marcas: «OV» es "
        "un sobrevoto, «undervote» una preferencia en blanco, «UWI» un nombre que no es "
        "candidatura"
    )
    # no rule is left as the engine's identifier, in either language
    for line in (_rules_line(english, "Rules:"), _rules_line(spanish, "Reglas:")):
        for name in ("batch_elimination", "until_two", "tie_break", "max_", "write_in", "True"):
            assert name not in line


def test_the_rules_of_other_methods_in_spanish(capsys):
    path = election_path("stv_opavote_scottish_example", "ballots.blt")
    code, spanish, _ = run(capsys, path, "--language", "es")
    assert code == 0
    assert _rules_line(spanish, "Reglas:") == (
        "Reglas: empates: se miran las vueltas anteriores y, si no basta, un sorteo a partir "
        "de la semilla"
    )


def test_schulze_from_text_file(capsys):
    path = election_path("condorcet_schulze_wikipedia_example", "ballots.txt")
    code, out, _ = run(capsys, path, "--method", "schulze")
    assert code == 0
    assert "Ranking: E > A > C > B > D" in out


def test_csv_with_count_column_approval_and_score(tmp_path, capsys):
    ranked = tmp_path / "ranked.csv"
    ranked.write_text("Count,Rank 1,Rank 2\n3,a,b\n2,b,\n,,\n", encoding="utf-8")
    code, _, err = run(capsys, ranked)
    assert code == 2
    assert "line 4" in err  # the blank count cell
    ranked.write_text("Count,Rank 1,Rank 2\n3,a,b\n2,b,\n1,c,a\n", encoding="utf-8")
    code, out, _ = run(capsys, ranked, "--format", "json")
    assert json.loads(out)["winners"] == ["a"]
    code, out, _ = run(capsys, ranked, "--method", "approval", "--format", "json")
    assert json.loads(out)["rounds"][0]["tallies"]["a"]["exact"] == "4"
    scores = tmp_path / "scores.csv"
    scores.write_text("a:5,b:2\na:1,b=4\n", encoding="utf-8")
    code, out, _ = run(capsys, scores, "--method", "score", "--format", "json")
    assert code == 0
    assert json.loads(out)["winners"] == ["b"] or json.loads(out)["winners"] == ["a"]
    assert json.loads(out)["rounds"][0]["tallies"]["a"]["exact"] == "6"


@pytest.mark.slow
def test_minneapolis_cast_vote_records_through_the_command(capsys):
    path = election_path("irv_minneapolis_2013_mayor", "mn_2013_cast_vote_record.csv.gz")
    skip = ["--skip", "overvote", "--skip", "undervote", "--skip", "UWI"]
    code, out, _ = run(capsys, path, *skip, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["total"]["exact"] == "80101"
    assert data["winners"] == ["BETSY HODGES"]
    final = data["rounds"][-1]["tallies"]
    assert {k: v["exact"] for k, v in final.items()} == {
        "BETSY HODGES": "38870",
        "MARK ANDREW": "24972",
    }


def test_command_imports_nothing_heavy():
    path = election_path("irv_condorcet_tennessee_textbook", "ballots.txt")
    code = (
        "import sys; from convene.cli import main; rc = main(['tally', sys.argv[1]]); "
        "heavy = [m for m in ('flask', 'sqlalchemy', 'socketio') if m in sys.modules]; "
        "print(heavy); sys.exit(rc)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=REPO
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("[]")


def test_module_entry_point_runs(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "convene", "tally", str(tmp_path / "missing.blt")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert "no such file" in proc.stderr
    assert "Traceback" not in proc.stderr


BAD_FILES = {
    "header.blt": ("3\n1 1 0\n0\n", "line 1: the first line must be 'CANDIDATES SEATS'"),
    "range.blt": ('2 1\n1 1 3 0\n0\n"a"\n"b"\n"t"\n', "line 2: candidate number 3 is out of range"),
    "noend.blt": ('2 1\n1 1 2\n0\n"a"\n"b"\n"t"\n', "line 2: a ballot line must end with 0"),
    "weight.blt": ('2 1\nx 1 0\n0\n"a"\n"b"\n"t"\n', "line 2: ballot weight 'x'"),
    "equal.blt": ('2 1\n1 1=2 0\n0\n"a"\n"b"\n"t"\n', "line 2: equal rankings"),
    "names.blt": ('2 1\n1 1 0\n0\n"a"\n', "expected 2 candidate names"),
    "nozero.blt": ('2 1\n1 1 0\n"a"\n"b"\n', "line 3: ballot weight"),
    "dupname.blt": ('2 1\n1 1 0\n0\n"a"\n"a"\n"t"\n', "line 5: candidate name 'a' appears twice"),
    "withdrawn.blt": ('2 1\n-5\n1 1 0\n0\n"a"\n"b"\n"t"\n', "line 2: withdrawn candidates"),
    "count.txt": ("3: a>b\nx: b\n", "line 2: ballot weight 'x'"),
    "colon.txt": ("3: a>b\n4 b\n", "line 2: expected 'count: A>B>C'"),
    "empty.csv": ("\n\n", "no ballots found"),
    "zero.csv": ("count,rank1\n0,a\n", "line 2: ballot weight '0' must be positive"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_fail_with_one_line_and_exit_2(tmp_path, capsys, name):
    text, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, path)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("convene tally: error: ")
    assert expected in err
    assert "Traceback" not in err


def test_bad_arguments_and_binary_files(tmp_path, capsys):
    blt = election_path("stv_wikipedia_food_example", "ballots.blt")
    assert run(capsys, blt, "--method", "borda")[0] == 2
    code, _, err = run(capsys, blt, "--method", "irv", "--seats", "2")
    assert code == 2
    assert "one candidate" in err
    binary = tmp_path / "x.blt"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    code, _, err = run(capsys, binary)
    assert code == 2
    assert "not UTF-8" in err
    broken = tmp_path / "broken.gz"
    broken.write_bytes(gzip.compress(b"3 1\n")[:12])
    code, _, err = run(capsys, broken)
    assert code == 2
    assert err.count("\n") == 1
    code, _, err = run(capsys, tmp_path)
    assert code == 2
    assert "directory" in err
    assert run(capsys, "--help")[0] == 0

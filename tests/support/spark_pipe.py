"""Runs kosum as a Spark RDD.pipe() mapper in local mode.

Usage: spark_pipe.py KOSUM INPUT.jsonl OUTPUT.jsonl [PARTITIONS]

Each partition of INPUT.jsonl is piped through `KOSUM --input-format jsonl
--format jsonl`; the collected result lines are written to OUTPUT.jsonl in
partition order, so the caller can check that every input line was answered.
"""

import shlex
import sys

from pyspark.sql import SparkSession


def main() -> None:
    kosum, source, target = sys.argv[1:4]
    partitions = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    spark = (
        SparkSession.builder.master(f"local[{partitions}]")
        .appName("kosum-pipe")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    lines = spark.sparkContext.textFile(source, partitions)
    command = [kosum, "--input-format", "jsonl", "--format", "jsonl", "--threads", "1", "--quiet"]
    # pipe() feeds each partition's lines to one kosum process on stdin and
    # yields its stdout lines. kosum exits 1 when some line failed; those
    # lines carry their "error" in the output, so the status is not checked.
    results = lines.pipe(" ".join(shlex.quote(part) for part in command), checkCode=False)
    with open(target, "w", encoding="utf-8") as out:
        for line in results.collect():
            out.write(line + "\n")
    spark.stop()


if __name__ == "__main__":
    main()

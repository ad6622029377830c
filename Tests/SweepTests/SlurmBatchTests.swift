import Foundation
@testable import Sweep
import Testing

/// The batch script of `mcpo-sweep slurm`: one array of `--until-empty` workers, requeued on
/// node failure, with the worker exec'd so that it receives Slurm's SIGTERM itself.
@Suite struct SlurmBatchTests {
    @Test func theScriptIsOneRequeuedArrayOfDrainingWorkers() {
        var batch = SlurmBatch(sweep: "abl ation", db: "postgres://u@h:5432/d", executable: "/opt/mcpo/mcpo-sweep", tasks: 45,
                               output: "logs/%x-%A_%a.out")
        batch.partition = "cpu"
        batch.time = "1-12:00:00"
        batch.leaseSeconds = 10
        batch.extra = ["--account=rl"]
        let lines = batch.script.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/bash")
        for expected in ["#SBATCH --array=0-44", "#SBATCH --requeue", "#SBATCH --open-mode=append", "#SBATCH --output=logs/%x-%A_%a.out",
                         "#SBATCH --cpus-per-task=1", "#SBATCH --partition=cpu", "#SBATCH --time=1-12:00:00", "#SBATCH --account=rl",
                         "#SBATCH --job-name='mcpo-abl ation'", "export OPENBLAS_NUM_THREADS=1"] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        #expect(lines.contains("exec /opt/mcpo/mcpo-sweep worker --until-empty --db postgres://u@h:5432/d --sweep 'abl ation' --lease-seconds 10"))
        #expect(!batch.script.contains("--checkpoint-seconds"))
    }

    @Test func wordsAreQuotedForTheShellAndTimesCheckedAsSlurmReadsThem() {
        #expect(SlurmBatch.quoted("plain-1.0/x") == "plain-1.0/x")
        #expect(SlurmBatch.quoted("it's") == #"'it'\''s'"#)
        #expect(SlurmBatch.quoted("$HOME") == "'$HOME'")
        for good in ["30", "30:00", "24:00:00", "2-00", "2-12:30", "2-12:30:00"] { #expect(SlurmBatch.isTime(good), "\(good)") }
        for bad in ["", "1h", "24:00:00:00", "-1", "1-", "ten"] { #expect(!SlurmBatch.isTime(bad), "\(bad)") }
    }
}

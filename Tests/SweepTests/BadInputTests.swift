import Foundation
import Testing
import Trainer
@testable import Sweep

/// Every kind of bad input gives one line naming file, line, column, key, expected and found.
@Suite struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let what: String
        let yaml: String
        let error: String
        var testDescription: String { what }
    }

    static let valid = """
        name: x
        seeds: 2
        envs: {Pendulum: {steps: 100}}
        methods: {PPO: {clip: [0.1, 0.2]}}

        """

    static let cases: [Case] = [
        Case(what: "malformed flow list", yaml: "name: x\nseeds: [0, 1\nenvs: {}\n",
             error: "test.yaml:3:5: malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 8)"),
        Case(what: "tab indentation", yaml: "name: x\nenvs:\n  Pendulum:\n\tsteps: 3\n",
             error: "test.yaml:4:1: malformed YAML: found character that cannot start any token (while scanning for the next token at line 4, column 1)"),
        Case(what: "duplicated key", yaml: "name: x\nseeds: 2\nseeds: 3\n",
             error: "test.yaml:3:1: key 'seeds': expected each key once in a mapping, found it again (first at line 2, column 1)"),
        Case(what: "empty document", yaml: "# nothing\n",
             error: "test.yaml:1:1: expected a mapping with keys name, seeds, defaults, envs, methods, found an empty document"),
        Case(what: "not a mapping", yaml: "- a\n- b\n",
             error: "test.yaml:1:1: expected a mapping with keys name, seeds, defaults, envs, methods, found a list"),
        Case(what: "unknown top-level key", yaml: valid + "seed: 3\n",
             error: "test.yaml:5:1: key 'seed': expected a top-level key (name, seeds, defaults, envs, methods), found 'seed'; did you mean 'seeds'?"),
        Case(what: "unknown default", yaml: valid + "defaults:\n  horizon: 128\n  epoch: 3\n",
             error: "test.yaml:7:3: key 'defaults.epoch': expected one of the settings (steps, horizon, epochs, minibatch_size, actors, lr, gamma, lambda, c1, c2, max_grad_norm, normalize_observations, scale_rewards, clipped_action_likelihood, advantage_norm, value_clip, lr_schedule, time_limit, eval_every, eval_episodes), found 'epoch'; did you mean 'epochs'?"),
        Case(what: "unknown env setting", yaml: "name: x\nseeds: 2\nenvs:\n  Pendulum: {steps: 100, actor: 8}\n",
             error: "test.yaml:4:26: key 'envs.Pendulum.actor': expected one of the settings (steps, horizon, epochs, minibatch_size, actors, lr, gamma, lambda, c1, c2, max_grad_norm, normalize_observations, scale_rewards, clipped_action_likelihood, advantage_norm, value_clip, lr_schedule, time_limit, eval_every, eval_episodes), found 'actor'; did you mean 'actors'?"),
        Case(what: "unknown environment", yaml: "name: x\nseeds: 2\nenvs:\n  pendulum: {steps: 100}\n",
             error: "test.yaml:4:3: key 'envs.pendulum': expected an environment (Pendulum), found 'pendulum'; did you mean 'Pendulum'?"),
        Case(what: "unknown method", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  PPO2: {clip: 0.2}\n",
             error: "test.yaml:5:3: key 'methods.PPO2': expected a method (\(MethodCatalog.names.joined(separator: ", "))), found 'PPO2'; did you mean 'PPO'?"),
        Case(what: "unknown method key", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  PPO: {clp: 0.2}\n",
             error: "test.yaml:5:9: key 'methods.PPO.clp': expected a hyperparameter of PPO (clip) or a training setting (sweeps/README.md), found 'clp'; did you mean 'clip'?"),
        Case(what: "misspelt setting under a method", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  PPO: {epocs: [3, 10]}\n",
             error: "test.yaml:5:9: key 'methods.PPO.epocs': expected a hyperparameter of PPO (clip) or a training setting (sweeps/README.md), found 'epocs'; did you mean 'epochs'?"),
        Case(what: "method twice", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  PPO: {}\n  ppo: {}\n",
             error: "test.yaml:6:3: key 'methods.ppo': expected each method once, found PPO again (as 'PPO' before)"),
        Case(what: "steps ≤ 0", yaml: "name: x\nseeds: 2\nenvs:\n  Pendulum: {steps: -5}\n",
             error: "test.yaml:4:21: key 'envs.Pendulum.steps': expected an integer in [1, 1000000000000], found -5"),
        Case(what: "steps not an integer", yaml: "name: x\nseeds: 2\nenvs:\n  Pendulum: {steps: 1000.5}\n",
             error: "test.yaml:4:21: key 'envs.Pendulum.steps': expected an integer in [1, 1000000000000], found 1000.5"),
        Case(what: "steps quoted", yaml: "name: x\nseeds: 2\nenvs:\n  Pendulum: {steps: \"100\"}\n",
             error: "test.yaml:4:21: key 'envs.Pendulum.steps': expected an integer in [1, 1000000000000], found the string '100'"),
        Case(what: "steps missing", yaml: "name: x\nseeds: 2\nenvs:\n  Pendulum: {actors: 2}\nmethods: {PPO: }\n",
             error: "test.yaml:4:3: key 'envs.Pendulum.steps': expected a positive integer step budget (here, under defaults or under the method), found nothing"),
        Case(what: "a setting under both a method and an environment",
             yaml: "name: x\nseeds: 2\nenvs:\n  Pendulum: {steps: 1, lr: 0.1}\nmethods: {PPO: {lr: [0.1, 0.2]}}\n",
             error: "test.yaml:4:3: key 'envs.Pendulum.lr': expected each setting either under a method or under an environment, found it under methods.PPO too; set it in one place"),
        Case(what: "seeds ≤ 0", yaml: "name: x\nseeds: 0\n",
             error: "test.yaml:2:8: key 'seeds': expected a number of seeds in [1, 100000] or a list of distinct non-negative integers, found 0"),
        Case(what: "seed list with a negative", yaml: "name: x\nseeds: [1, -2]\n",
             error: "test.yaml:2:12: key 'seeds': expected a non-negative integer seed, found -2"),
        Case(what: "seed list with a duplicate", yaml: "name: x\nseeds: [1, 2, 1]\n",
             error: "test.yaml:2:15: key 'seeds': expected distinct seeds, found 1 twice"),
        Case(what: "clip ≤ 0", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  PPO: {clip: [0.1, 0]}\n",
             error: "test.yaml:5:21: key 'methods.PPO.clip': expected a number > 0 or a non-empty list of them, found 0"),
        Case(what: "clip a string", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  PPO: {clip: wide}\n",
             error: "test.yaml:5:15: key 'methods.PPO.clip': expected a number > 0 or a non-empty list of them, found the string 'wide'"),
        Case(what: "clip empty list", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  PPO:\n    clip: []\n",
             error: "test.yaml:6:11: key 'methods.PPO.clip': expected a number > 0 or a non-empty list of them, found an empty list"),
        Case(what: "clip repeated", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  PPO: {clip: [0.2, 0.2]}\n",
             error: "test.yaml:5:21: key 'methods.PPO.clip': expected distinct values, found 0.2 twice"),
        Case(what: "N ≤ 0", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  MCPO: {N: [5, 0]}\n",
             error: "test.yaml:5:17: key 'methods.MCPO.N': expected a whole number in [1, 1000] or a non-empty list of them, found 0"),
        Case(what: "N not a whole number", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  MCPO: {N: 2.5}\n",
             error: "test.yaml:5:13: key 'methods.MCPO.N': expected a whole number in [1, 1000] or a non-empty list of them, found 2.5"),
        Case(what: "a probability < 0", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  MCPO: {dropout: -0.5}\n",
             error: "test.yaml:5:19: key 'methods.MCPO.dropout': expected a number in [0, 1) or a non-empty list of them, found -0.5"),
        Case(what: "a probability ≥ 1", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  MCPO: {N: 5, dropout: [0.5, 1.5]}\n",
             error: "test.yaml:5:31: key 'methods.MCPO.dropout': expected a number in [0, 1) or a non-empty list of them, found 1.5"),
        Case(what: "a coefficient of 0", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  MCPO: {beta_min: 0}\n",
             error: "test.yaml:5:20: key 'methods.MCPO.beta_min': expected a number > 0 or a non-empty list of them, found 0"),
        Case(what: "unknown option value", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods:\n  MCPO: {ablation: [none, nopsi]}\n",
             error: "test.yaml:5:27: key 'methods.MCPO.ablation': expected one of \(MethodCatalog.method(named: "MCPO")!.choices["ablation"]!.joined(separator: ", ")) or a non-empty list of them, found 'nopsi'; did you mean 'no_psi'?"),
        Case(what: "gamma out of range", yaml: "name: x\nseeds: 2\ndefaults: {gamma: 1.5}\n",
             error: "test.yaml:3:19: key 'defaults.gamma': expected a number in (0, 1], found 1.5"),
        Case(what: "flag not a boolean", yaml: "name: x\nseeds: 2\ndefaults: {scale_rewards: 1}\n",
             error: "test.yaml:3:27: key 'defaults.scale_rewards': expected true or false, found 1"),
        Case(what: "empty list in defaults", yaml: "name: x\nseeds: 2\ndefaults: {lr: []}\n",
             error: "test.yaml:3:16: key 'defaults.lr': expected a value or a non-empty list of values (a grid axis), found an empty list"),
        Case(what: "a repeated value in a setting list", yaml: "name: x\nseeds: 2\ndefaults: {epochs: [3, 10, 3]}\n",
             error: "test.yaml:3:28: key 'defaults.epochs': expected distinct values, found 3 twice"),
        Case(what: "a bad value in a setting list", yaml: "name: x\nseeds: 2\ndefaults: {gamma: [0.99, 1.5]}\n",
             error: "test.yaml:3:26: key 'defaults.gamma': expected a number in (0, 1], found 1.5"),
        Case(what: "a nested list in a setting list", yaml: "name: x\nseeds: 2\ndefaults: {lr: [[0.1]]}\n",
             error: "test.yaml:3:17: key 'defaults.lr': expected a single value in the list, found a list"),
        Case(what: "defaults not a mapping", yaml: "name: x\nseeds: 2\ndefaults: 3\n",
             error: "test.yaml:3:11: key 'defaults': expected a mapping of training settings, found 3"),
        Case(what: "envs empty", yaml: "name: x\nseeds: 2\nenvs: {}\n",
             error: "test.yaml:3:7: key 'envs': expected at least one environment, found none"),
        Case(what: "name a list", yaml: "name: [a]\n",
             error: "test.yaml:1:7: key 'name': expected a non-empty one-line name, found a list"),
        Case(what: "name missing", yaml: "seeds: 2\nenvs: {Pendulum: {steps: 1}}\nmethods: {PPO: }\n",
             error: "test.yaml:1:1: key 'name': expected the sweep's name, found nothing"),
        Case(what: "methods missing", yaml: "name: x\nseeds: 2\nenvs: {Pendulum: {steps: 1}}\n",
             error: "test.yaml:1:1: key 'methods': expected a mapping of methods, found nothing"),
        // Names (issue 11, defect 7): no NUL (cut off by C strings), escape sequences or bidi overrides.
        Case(what: "a NUL in the name", yaml: "name: \"a\\0b\"\nseeds: 1\nenvs: {Pendulum: {steps: 1}}\nmethods: {PPO: }\n",
             error: "test.yaml:1:7: key 'name': expected a one-line name without control characters, found a name with the control character U+0000"),
        Case(what: "an escape sequence in the name", yaml: "name: \"x\\e[2J\"\nseeds: 1\nenvs: {Pendulum: {steps: 1}}\nmethods: {PPO: }\n",
             error: "test.yaml:1:7: key 'name': expected a one-line name without control characters, found a name with the control character U+001B"),
        Case(what: "a bidi override in the name", yaml: "name: \"x\\u202Ey\"\nseeds: 1\nenvs: {Pendulum: {steps: 1}}\nmethods: {PPO: }\n",
             error: "test.yaml:1:7: key 'name': expected a one-line name without control characters, found a name with the formatting character U+202E"),
        Case(what: "a tab in the name", yaml: "name: \"x\\ty\"\nseeds: 1\nenvs: {Pendulum: {steps: 1}}\nmethods: {PPO: }\n",
             error: "test.yaml:1:7: key 'name': expected a one-line name without control characters, found a name with the control character U+0009"),
        // Limits (issue 11, defect 5): sizes are checked before any product of them is formed.
        Case(what: "steps past the limit", yaml: "name: x\nseeds: 2\nenvs:\n  Pendulum: {steps: 5000000000000000000}\nmethods: {PPO: }\n",
             error: "test.yaml:4:21: key 'envs.Pendulum.steps': expected an integer in [1, 1000000000000], found 5000000000000000000"),
        Case(what: "horizon that wraps horizon × actors", yaml: "name: x\nseeds: 1\ndefaults: {horizon: 4611686018427387905, actors: 4}\nenvs:\n  Pendulum: {steps: 10}\nmethods: {PPO: }\n",
             error: "test.yaml:3:21: key 'defaults.horizon': expected an integer in [1, 1048576], found 4611686018427387905"),
        Case(what: "horizon × actors past the limit", yaml: "name: x\nseeds: 1\nenvs:\n  Pendulum: {steps: 10, horizon: 1000000, actors: 4000}\nmethods: {PPO: }\n",
             error: "test.yaml:4:3: key 'envs.Pendulum': PPO: horizon × actors must be at most 16777216 samples per iteration, found 1000000 × 4000"),
        Case(what: "too many seeds", yaml: "name: x\nseeds: 100000000\nenvs: {Pendulum: {steps: 1}}\nmethods: {PPO: }\n",
             error: "test.yaml:2:8: key 'seeds': expected a number of seeds in [1, 100000] or a list of distinct non-negative integers, found 100000000"),
        Case(what: "a grid past the limit", yaml: "name: x\nseeds: 50000\nenvs: {Pendulum: {steps: 1}}\nmethods: {PPO: {clip: [0.1, 0.2, 0.3]}}\n",
             error: "test.yaml:1:1: the sweep expands to 50000 seeds × 3 combinations of method, environment and settings = 150000 runs; expected at most 100000 (split it into several sweeps)"),
        Case(what: "MCPO N past its limit", yaml: "name: x\nseeds: 1\nenvs: {Pendulum: {steps: 1}}\nmethods: {MCPO: {N: 1e9}}\n",
             error: "test.yaml:4:21: key 'methods.MCPO.N': expected a whole number in [1, 1000] or a non-empty list of them, found 1e9"),
    ]

    /// A run whose estimated memory exceeds the machine's is refused at its environment's key.
    @Test func aRunLargerThanTheMachinesMemoryIsRefused() throws {
        let yaml = "name: x\nseeds: 1\nenvs:\n  Pendulum: {steps: 10, horizon: 100000, actors: 64}\nmethods: {PPO: }\n"
        let bytes = try #require(try parse(yaml).expand().first).config.estimatedMemory()
        #expect(bytes > 6_400_000 * 4 * 12)  // 6.4M samples of ≥ 12 floats
        #expect {
            _ = try SweepParser.parse(yaml: yaml, file: "test.yaml", environments: ["Pendulum"], machineMemory: bytes - 1)
        } throws: { error in
            "\(error)".hasPrefix("test.yaml:4:3: key 'envs.Pendulum': a PPO run needs an estimated ") && "\(error)".hasSuffix(" of memory")
        }
        _ = try SweepParser.parse(yaml: yaml, file: "test.yaml", environments: ["Pendulum"], machineMemory: bytes)
    }

    @Test(arguments: cases)
    func badInputIsOneLocatedLine(_ c: Case) {
        #expect {
            _ = try parse(c.yaml)
        } throws: { error in
            let text = "\(error)"
            #expect(text == c.error)
            #expect(!text.contains("\n"))
            return error is SweepFileError
        }
    }

    @Test func theValidBaseParses() throws {
        #expect(try parse(Self.valid).expand().count == 4)
    }

    @Test func unreadableFiles() throws {
        let scratch = try Scratch()
        #expect(throws: SweepFileError(file: scratch.path("none.yaml"), line: nil, column: nil, message: "no such sweep file")) {
            try SweepParser.parse(contentsOf: scratch.path("none.yaml"))
        }
        #expect(throws: SweepFileError(file: scratch.url.path, line: nil, column: nil, message: "is a directory, not a sweep file (expected a regular file)")) {
            try SweepParser.parse(contentsOf: scratch.url.path)
        }
        let binary = scratch.path("binary.yaml")
        _ = FileManager.default.createFile(atPath: binary, contents: Data([0xFF, 0xFE, 0x00, 0x80]))
        #expect(throws: SweepFileError.self) { try SweepParser.parse(contentsOf: binary) }
        // Devices, pipes and huge files are named as what they are, never read (issue 11, defect 8).
        for device in ["/dev/null", "/dev/zero"] {
            #expect(throws: SweepFileError(file: device, line: nil, column: nil,
                                           message: "is a character device, not a sweep file (expected a regular file)")) {
                try SweepParser.parse(contentsOf: device)
            }
        }
        let fifo = scratch.path("fifo.yaml")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: SweepFileError(file: fifo, line: nil, column: nil,
                                       message: "is a pipe, not a sweep file (expected a regular file)")) {
            try SweepParser.parse(contentsOf: fifo)
        }
        let dangling = scratch.path("dangling.yaml")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: scratch.path("gone.yaml"))
        #expect(throws: SweepFileError(file: dangling, line: nil, column: nil,
                                       message: "is a symbolic link to nothing, not a sweep file")) {
            try SweepParser.parse(contentsOf: dangling)
        }
        let huge = scratch.write("huge.yaml", "# " + String(repeating: "x", count: SweepParser.maxFileBytes) + "\n")
        #expect(throws: SweepFileError(file: huge, line: nil, column: nil,
                                       message: "the sweep file has \(SweepParser.maxFileBytes + 3) bytes; expected at most \(SweepParser.maxFileBytes)")) {
            try SweepParser.parse(contentsOf: huge)
        }
    }
}

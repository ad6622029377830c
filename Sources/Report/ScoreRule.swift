import Trainer

/// How a run's score is read from its metrics (issue 12): `mcpo-report --score RULE`.
public enum ScoreRule: String, CaseIterable, Sendable {
    /// The last value of `score`: the mean return of the last 100 training episodes at the end.
    case final
    /// The largest value of `score` over training (the running last-100 mean at its best).
    case best
    /// The last `eval_return`: deterministic evaluation episodes after the last iteration.
    case eval
    /// The largest `eval_return` over training: the best evaluated checkpoint (the paper's Table 11).
    case bestEval = "best-eval"

    /// The metric the rule reads.
    public var key: String {
        switch self {
        case .final, .best: return MetricKey.score
        case .eval, .bestEval: return MetricKey.evalReturn
        }
    }

    /// Whether the rule takes the largest value over training (else the last).
    public var takesBest: Bool { self == .best || self == .bestEval }

    /// The sentence every table states.
    public var text: String {
        switch self {
        case .final:
            return "final: mean undiscounted return of the last 100 completed training episodes, read at each run's last recorded step; finished runs only"
        case .best:
            return "best: the largest value over training of the mean undiscounted return of the last 100 completed training episodes (read at every iteration end); finished runs only"
        case .eval:
            return "eval: mean undiscounted return of the deterministic evaluation episodes (mean action or argmax, eval_episodes per run) after the last iteration; finished runs only"
        case .bestEval:
            return "best-eval: the largest mean return of deterministic evaluation episodes over the run's evaluations (every eval_every iterations and after the last); finished runs only"
        }
    }
}

/// A run's config with every setting spelled out, defaults filled (`mcpo-sweep show`): the
/// stored JSON leaves some out at their defaults so that older runs keep their identity.
extension TrainingConfig {
    /// A setting's value: a number, a flag, text, or none (an option that is off).
    public enum SettingText: Equatable, Sendable {
        case number(Double), flag(Bool), text(String), none
    }

    /// Every TrainingConfig setting by its sweep-file key, in a fixed order.
    public var everySetting: [(key: String, value: SettingText)] {
        [("method", .text(method)), ("env", .text(env)), ("seed", .number(Double(seed))), ("steps", .number(Double(steps))),
         ("horizon", .number(Double(horizon))), ("epochs", .number(Double(epochs))),
         ("minibatch_size", .number(Double(minibatchSize))), ("actors", .number(Double(actors))), ("lr", .number(lr)),
         ("gamma", .number(gamma)), ("lambda", .number(lambda)), ("c1", .number(c1)), ("c2", .number(c2)),
         ("max_grad_norm", .number(maxGradNorm)), ("normalize_observations", .flag(normalizeObservations)),
         ("scale_rewards", .flag(scaleRewards)), ("clipped_action_likelihood", .flag(clippedActionLikelihood)),
         ("advantage_norm", .text(advantageNorm.rawValue)), ("value_clip", valueClip.map { .number($0) } ?? .none),
         ("lr_schedule", .text(lrSchedule.rawValue)), ("time_limit", .text(timeLimit.rawValue)),
         ("eval_every", .number(Double(evalEvery))), ("eval_episodes", .number(Double(evalEpisodes)))]
    }

    /// The method's hyperparameters with its catalog defaults filled, and every string option
    /// with its value (the first listed when the config leaves it implicit).
    public func methodSettings(_ info: MethodInfo?) -> (params: [String: Double], choices: [String: String]) {
        let params = (info?.defaults ?? [:]).merging(self.params) { _, given in given }
        var choices = choices
        for (key, options) in info?.choices ?? [:] where choices[key] == nil { choices[key] = options.first }
        return (params, choices)
    }

    /// Environment steps a run really takes: `steps` rounded up to whole iterations of
    /// actors × horizon (a run always ends on an iteration's end).
    public var stepsTaken: Int {
        let perIteration = max(1, actors * horizon)
        return (steps + perIteration - 1) / perIteration * perIteration
    }
}

/// MCPO's open questions (method.md §5) as switches. The first value of each is the paper-literal
/// reading (and the meaning of a stored run whose config does not name the switch).
extension MCPO {
    /// When switching β (Eq. 2) is decided. `before`: on the minibatch, from θ before its step
    /// (d(θold, θ) is feature 3). `after`: from θ after the previous minibatch's step, measured on
    /// that minibatch (β_min on an iteration's first). `iteration`: once per iteration, from the
    /// previous iteration's end: β_max if d(θold, θ) over its rollout exceeded its mean d(θold, ψ).
    enum BetaWhen: String, CaseIterable, Sendable { case before, after, iteration }

    /// Where the write check (Eq. 3) is evaluated. `same`: after the step, on the same minibatch
    /// (a forward pass of the new θ). `next`: on the next minibatch, from its features 1–2,
    /// d(θ, ψold) > d(θold, ψold), before ψ is built (no extra pass; an iteration's last step is
    /// not checked).
    enum WriteCheck: String, CaseIterable, Sendable { case same, next }

    /// The forget gate's scale. `paper`: α_t = σ(R_t(ψ) − R_t(θold)). `standardized`: the same
    /// difference divided by its standard deviation over the minibatch, so the gate uses its range.
    enum ForgetGate: String, CaseIterable, Sendable { case paper, standardized }

    /// The attention input. `raw`: Table 3's values. `symlog`: sign(v)·log(1 + |v|) per feature.
    enum Features: String, CaseIterable, Sendable { case raw, symlog }

    /// Which slots ψ may attend to. `all`: every filled slot. `past`: not the policies written
    /// during the current iteration (at least the oldest slot), so ψ is not a recent θ.
    enum Attend: String, CaseIterable, Sendable { case all, past }

    /// The reference of the switching rule: β_max if d(θold, θ) > d(θold, ψ) (`psi`, Eq. 2), or
    /// > d(θ, ψold) (`psi_old`, feature 1).
    enum SwitchReference: String, CaseIterable, Sendable { case psi, psi_old }

    /// `paper` names the paper-literal setting of every switch (the first value of each); a
    /// sweep that names it gets none of the chosen defaults (`MethodInfo.recommended`).
    enum Variant: String, CaseIterable, Sendable { case chosen, paper }

    /// The defaults chosen by the study of docs/method.md §5 (Pendulum and MiniGrid-Unlock only),
    /// where they differ from the paper-literal first values: new runs name them explicitly.
    static let chosenDefaults: [String: String] = ["write_check": "next", "forget_gate": "standardized"]

    static let optionChoices: [String: [String]] = [
        "ablation": Ablation.allCases.map(\.rawValue),
        "write_every": WriteEvery.allCases.map(\.rawValue),
        "beta_when": BetaWhen.allCases.map(\.rawValue),
        "write_check": WriteCheck.allCases.map(\.rawValue),
        "forget_gate": ForgetGate.allCases.map(\.rawValue),
        "features": Features.allCases.map(\.rawValue),
        "attend": Attend.allCases.map(\.rawValue),
        "switch_reference": SwitchReference.allCases.map(\.rawValue),
        "variant": Variant.allCases.map(\.rawValue),
    ]

    struct Options: Sendable {
        let writeEvery: WriteEvery
        let betaWhen: BetaWhen
        let writeCheck: WriteCheck
        let forgetGate: ForgetGate
        let features: Features
        let attend: Attend
        let switchReference: SwitchReference

        init(_ p: MethodParameters.Checked) throws {
            writeEvery = WriteEvery(rawValue: p.choice("write_every"))!
            betaWhen = BetaWhen(rawValue: p.choice("beta_when"))!
            writeCheck = WriteCheck(rawValue: p.choice("write_check"))!
            forgetGate = ForgetGate(rawValue: p.choice("forget_gate"))!
            features = Features(rawValue: p.choice("features"))!
            attend = Attend(rawValue: p.choice("attend"))!
            switchReference = SwitchReference(rawValue: p.choice("switch_reference"))!
            if writeCheck == .next && writeEvery == .iteration {
                throw TrainerError.invalidConfig(
                    "MCPO.write_check 'next' needs write_every 'minibatch' (an iteration's last check has no next minibatch)")
            }
        }
    }
}

import CMuJoCo
import Foundation

/// A loaded MuJoCo model (`mjModel`), shared read-only by every environment of its task in a
/// process. Models come from gymnasium 1.4.0's XML files in `MuJoCoModel.assetDirectory`.
final class MuJoCoModel: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<mjModel>
    let file: String

    private init(pointer: UnsafeMutablePointer<mjModel>, file: String) {
        self.pointer = pointer
        self.file = file
    }

    deinit { mj_deleteModel(pointer) }

    /// Where the task models are read: `$MCPO_MUJOCO_ASSETS`, else the folder
    /// scripts/install-deps.sh fills.
    static var assetDirectory: String {
        ProcessInfo.processInfo.environment["MCPO_MUJOCO_ASSETS"] ?? defaultAssetDirectory
    }
    static let defaultAssetDirectory = "/var/cache/mcpo/gymnasium-1.4.0/mujoco"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: [String: MuJoCoModel] = [:]
    nonisolated(unsafe) private static var warningsRouted = false

    /// The model of `file` (e.g. "hopper.xml"), loaded once per process and asset folder.
    static func shared(_ file: String, directory: String = assetDirectory) throws -> MuJoCoModel {
        let path = (directory as NSString).appendingPathComponent(file)
        lock.lock()
        defer { lock.unlock() }
        if let model = loaded[path] { return model }
        if !warningsRouted {
            // MuJoCo's default writes warnings to MUJOCO_LOG.TXT in the working directory.
            _ = mju_setLogHandler(mujocoLog)
            warningsRouted = true
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw EnvironmentError.missingAsset(path)
        }
        var error = [CChar](repeating: 0, count: 1000)
        guard let m = mj_loadXML(path, nil, &error, Int32(error.count)) else {
            throw EnvironmentError.invalidAsset(path, String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let model = MuJoCoModel(pointer: m, file: file)
        loaded[path] = model
        return model
    }

    /// "4.0.0", the linked library's version.
    static var libraryVersion: String { String(cString: mj_versionString()) }
}

/// One simulation state (`mjData`) of a model, freed with it.
final class MuJoCoData {
    let model: MuJoCoModel
    let pointer: UnsafeMutablePointer<mjData>

    init(model: MuJoCoModel) {
        self.model = model
        pointer = mj_makeData(model.pointer)
    }

    deinit { mj_deleteData(pointer) }

    /// The state MuJoCo needs to continue bit-identically (mjSTATE_INTEGRATION: time, qpos, qvel,
    /// act, warm start, controls and applied forces, ...).
    var integrationState: [Double] {
        let sig = Int32(mjSTATE_INTEGRATION.rawValue)
        var state = [Double](repeating: 0, count: Int(mj_stateSize(model.pointer, sig)))
        mj_getState(model.pointer, pointer, &state, sig)
        return state
    }

    func restore(integrationState state: [Double]) throws {
        let sig = Int32(mjSTATE_INTEGRATION.rawValue)
        guard state.count == Int(mj_stateSize(model.pointer, sig)) else {
            throw EnvironmentError.invalidSnapshot("MuJoCo state of \(state.count) values for \(model.file), expected \(mj_stateSize(model.pointer, sig))")
        }
        mj_resetData(model.pointer, pointer)
        mj_setState(model.pointer, pointer, state, sig)
    }
}

/// MuJoCo's warnings and errors go to standard error, but for the deprecation gymnasium 1.4's
/// own models trigger at every load ('settotalmass', which they use and which 4.0.0 still obeys);
/// debug and info messages are dropped.
private func mujocoLog(_ message: UnsafePointer<mjLogMessage>?) {
    guard let message, message.pointee.level >= Int32(mjLOG_WARNING.rawValue) else { return }
    let subject = withUnsafeBytes(of: message.pointee.subject) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    guard !subject.contains("'settotalmass' is deprecated") else { return }
    FileHandle.standardError.write(Data("MuJoCo: \(subject)\n".utf8))
}

import CBox2D

/// Owns one Box2D world through the CBox2D handle and frees it (with all its bodies and joints)
/// when released. Body and joint handles obtained from the world are valid while it lives.
final class Box2DWorld {
    let handle: OpaquePointer

    init(gravityX: Float, gravityY: Float) {
        handle = cb_world_create(gravityX, gravityY)
    }

    deinit {
        cb_world_destroy(handle)
    }

    @inline(__always)
    func step(dt: Float, velocityIterations: Int32, positionIterations: Int32) {
        cb_world_step(handle, dt, velocityIterations, positionIterations)
    }

    func body(type: Int32, x: Float, y: Float, angle: Float) -> OpaquePointer {
        cb_body_create(handle, type, x, y, angle)
    }
}

#include "cbox2d.h"

#include <box2d/box2d.h>

#include <memory>
#include <vector>

struct cb_body {
    b2Body *body = nullptr;
    int touching = 0;
    int began = 0;
};

struct cb_joint {
    b2RevoluteJoint *joint = nullptr;
};

namespace {

cb_body *owner(b2Fixture *fixture) {
    return reinterpret_cast<cb_body *>(fixture->GetBody()->GetUserData().pointer);
}

class Listener final : public b2ContactListener {
public:
    void BeginContact(b2Contact *contact) override {
        mark(owner(contact->GetFixtureA()), true);
        mark(owner(contact->GetFixtureB()), true);
    }
    void EndContact(b2Contact *contact) override {
        mark(owner(contact->GetFixtureA()), false);
        mark(owner(contact->GetFixtureB()), false);
    }

private:
    static void mark(cb_body *body, bool begin) {
        if (body == nullptr) return;
        if (begin) {
            body->touching = 1;
            body->began = 1;
        } else {
            body->touching = 0;
        }
    }
};

class ClosestHit final : public b2RayCastCallback {
public:
    explicit ClosestHit(uint16_t mask) : mask_(mask) {}
    float fraction = 1.0f;

    float ReportFixture(b2Fixture *fixture, const b2Vec2 &, const b2Vec2 &, float f) override {
        if ((fixture->GetFilterData().categoryBits & mask_) == 0) return -1.0f;  // ignore, continue
        if (f < fraction) fraction = f;
        return f;  // clip the ray to this hit
    }

private:
    uint16_t mask_;
};

void add_fixture(cb_body *body, const b2Shape &shape, float density, float friction, float restitution,
                 uint16_t category, uint16_t mask) {
    b2FixtureDef def;
    def.shape = &shape;
    def.density = density;
    def.friction = friction;
    def.restitution = restitution;
    def.filter.categoryBits = category;
    def.filter.maskBits = mask;
    body->body->CreateFixture(&def);
}

}  // namespace

struct cb_world {
    explicit cb_world(b2Vec2 gravity) : world(gravity) { world.SetContactListener(&listener); }
    ~cb_world() { world.SetContactListener(nullptr); }
    Listener listener;
    b2World world;
    std::vector<std::unique_ptr<cb_body>> bodies;
    std::vector<std::unique_ptr<cb_joint>> joints;
};

extern "C" {

cb_world *cb_world_create(float gravity_x, float gravity_y) { return new cb_world(b2Vec2(gravity_x, gravity_y)); }

void cb_world_destroy(cb_world *world) { delete world; }

void cb_world_step(cb_world *world, float dt, int velocity_iterations, int position_iterations) {
    world->world.Step(dt, velocity_iterations, position_iterations);
}

void cb_world_set_continuous_physics(cb_world *world, int flag) { world->world.SetContinuousPhysics(flag != 0); }

float cb_world_ray_cast(const cb_world *world, float x1, float y1, float x2, float y2, uint16_t category_mask) {
    ClosestHit hit(category_mask);
    world->world.RayCast(&hit, b2Vec2(x1, y1), b2Vec2(x2, y2));
    return hit.fraction;
}

cb_body *cb_body_create(cb_world *world, int type, float x, float y, float angle) {
    auto handle = std::make_unique<cb_body>();
    b2BodyDef def;
    def.type = type == CB_DYNAMIC ? b2_dynamicBody : (type == CB_KINEMATIC ? b2_kinematicBody : b2_staticBody);
    def.position.Set(x, y);
    def.angle = angle;
    def.userData.pointer = reinterpret_cast<uintptr_t>(handle.get());
    handle->body = world->world.CreateBody(&def);
    world->bodies.push_back(std::move(handle));
    return world->bodies.back().get();
}

void cb_body_add_polygon(cb_body *body, const float *xy, int count, float density, float friction,
                         float restitution, uint16_t category, uint16_t mask) {
    b2Vec2 points[b2_maxPolygonVertices];
    if (count > b2_maxPolygonVertices) count = b2_maxPolygonVertices;
    for (int i = 0; i < count; ++i) points[i].Set(xy[2 * i], xy[2 * i + 1]);
    b2PolygonShape shape;
    shape.Set(points, count);
    add_fixture(body, shape, density, friction, restitution, category, mask);
}

void cb_body_add_box(cb_body *body, float half_width, float half_height, float density, float friction,
                     float restitution, uint16_t category, uint16_t mask) {
    b2PolygonShape shape;
    shape.SetAsBox(half_width, half_height);
    add_fixture(body, shape, density, friction, restitution, category, mask);
}

void cb_body_add_edge(cb_body *body, float x1, float y1, float x2, float y2, float density, float friction,
                      float restitution, uint16_t category, uint16_t mask) {
    b2EdgeShape shape;
    shape.SetTwoSided(b2Vec2(x1, y1), b2Vec2(x2, y2));
    add_fixture(body, shape, density, friction, restitution, category, mask);
}

void cb_body_apply_force_to_center(cb_body *body, float fx, float fy, int wake) {
    body->body->ApplyForceToCenter(b2Vec2(fx, fy), wake != 0);
}

void cb_body_apply_force(cb_body *body, float fx, float fy, float px, float py, int wake) {
    body->body->ApplyForce(b2Vec2(fx, fy), b2Vec2(px, py), wake != 0);
}

void cb_body_apply_linear_impulse(cb_body *body, float ix, float iy, float px, float py, int wake) {
    body->body->ApplyLinearImpulse(b2Vec2(ix, iy), b2Vec2(px, py), wake != 0);
}

void cb_body_apply_torque(cb_body *body, float torque, int wake) { body->body->ApplyTorque(torque, wake != 0); }

void cb_body_set_linear_velocity(cb_body *body, float vx, float vy) { body->body->SetLinearVelocity(b2Vec2(vx, vy)); }

void cb_body_state(const cb_body *body, float *out) {
    const b2Body *b = body->body;
    const b2Vec2 &p = b->GetPosition();
    const b2Vec2 &v = b->GetLinearVelocity();
    out[0] = p.x;
    out[1] = p.y;
    out[2] = b->GetAngle();
    out[3] = v.x;
    out[4] = v.y;
    out[5] = b->GetAngularVelocity();
}

float cb_body_x(const cb_body *body) { return body->body->GetPosition().x; }
float cb_body_y(const cb_body *body) { return body->body->GetPosition().y; }
float cb_body_angle(const cb_body *body) { return body->body->GetAngle(); }
int cb_body_awake(const cb_body *body) { return body->body->IsAwake() ? 1 : 0; }
int cb_body_touching(const cb_body *body) { return body->touching; }
int cb_body_began(const cb_body *body) { return body->began; }

void cb_body_clear_flags(cb_body *body) {
    body->touching = 0;
    body->began = 0;
}

cb_joint *cb_revolute_joint_create(cb_world *world, cb_body *a, cb_body *b, float anchor_ax, float anchor_ay,
                                   float anchor_bx, float anchor_by, float reference_angle, int enable_motor,
                                   float max_motor_torque, float motor_speed, int enable_limit, float lower_angle,
                                   float upper_angle) {
    b2RevoluteJointDef def;
    def.bodyA = a->body;
    def.bodyB = b->body;
    def.localAnchorA.Set(anchor_ax, anchor_ay);
    def.localAnchorB.Set(anchor_bx, anchor_by);
    def.referenceAngle = reference_angle;
    def.enableMotor = enable_motor != 0;
    def.maxMotorTorque = max_motor_torque;
    def.motorSpeed = motor_speed;
    def.enableLimit = enable_limit != 0;
    def.lowerAngle = lower_angle;
    def.upperAngle = upper_angle;
    auto handle = std::make_unique<cb_joint>();
    handle->joint = static_cast<b2RevoluteJoint *>(world->world.CreateJoint(&def));
    world->joints.push_back(std::move(handle));
    return world->joints.back().get();
}

void cb_joint_set_motor_speed(cb_joint *joint, float speed) { joint->joint->SetMotorSpeed(speed); }
void cb_joint_set_motor(cb_joint *joint, float speed, float max_torque) {
    b2RevoluteJoint *j = joint->joint;
    j->SetMotorSpeed(speed);
    j->SetMaxMotorTorque(max_torque);
    if (!j->GetBodyA()->IsAwake()) j->GetBodyA()->SetAwake(true);
    if (!j->GetBodyB()->IsAwake()) j->GetBodyB()->SetAwake(true);
}

void cb_joint_activate_limit_as_box2d23(cb_joint *joint) {
    b2RevoluteJoint *j = joint->joint;
    float angle = j->GetJointAngle();
    bool inside = angle > j->GetLowerLimit() && angle < j->GetUpperLimit();
    if (j->IsLimitEnabled() == inside) j->EnableLimit(!inside);
}
void cb_joint_set_max_motor_torque(cb_joint *joint, float torque) { joint->joint->SetMaxMotorTorque(torque); }
float cb_joint_angle(const cb_joint *joint) { return joint->joint->GetJointAngle(); }
float cb_joint_speed(const cb_joint *joint) { return joint->joint->GetJointSpeed(); }

}  // extern "C"

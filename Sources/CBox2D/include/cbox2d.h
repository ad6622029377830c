/* A small C interface over Box2D 2.4 (the system libbox2d), for Swift.
 *
 * Handles are opaque. A world owns every body and joint created in it: destroying the world
 * frees them all, so body and joint handles are valid exactly as long as their world.
 * Each body carries two contact flags maintained by the world's contact listener:
 *   touching - set when a contact involving the body begins, cleared when one ends
 *              (the "ground_contact" semantics of gymnasium's Box2D environments);
 *   began    - set when a contact involving the body begins, cleared only by
 *              cb_body_clear_flags (the "game_over" semantics). */
#ifndef CBOX2D_H
#define CBOX2D_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_world cb_world;
typedef struct cb_body cb_body;
typedef struct cb_joint cb_joint;

enum { CB_STATIC = 0, CB_KINEMATIC = 1, CB_DYNAMIC = 2 };

/* World. */
cb_world *cb_world_create(float gravity_x, float gravity_y);
void cb_world_destroy(cb_world *world);
void cb_world_step(cb_world *world, float dt, int velocity_iterations, int position_iterations);
/* Continuous collision (time of impact) for dynamic bodies against static ones; on by default. */
void cb_world_set_continuous_physics(cb_world *world, int flag);
/* Closest hit fraction along (x1,y1)→(x2,y2) among fixtures whose category has a bit in
 * category_mask; 1 when nothing is hit. */
float cb_world_ray_cast(const cb_world *world, float x1, float y1, float x2, float y2, uint16_t category_mask);

/* Bodies. */
cb_body *cb_body_create(cb_world *world, int type, float x, float y, float angle);
/* Fixtures: vertices as x0,y0,x1,y1,... (3 to 8 points, counter-clockwise or not: Box2D
 * computes the convex hull). Edges are two-sided. */
void cb_body_add_polygon(cb_body *body, const float *xy, int count, float density, float friction,
                         float restitution, uint16_t category, uint16_t mask);
void cb_body_add_box(cb_body *body, float half_width, float half_height, float density, float friction,
                     float restitution, uint16_t category, uint16_t mask);
void cb_body_add_edge(cb_body *body, float x1, float y1, float x2, float y2, float density, float friction,
                      float restitution, uint16_t category, uint16_t mask);

void cb_body_apply_force_to_center(cb_body *body, float fx, float fy, int wake);
void cb_body_apply_force(cb_body *body, float fx, float fy, float px, float py, int wake);
void cb_body_apply_linear_impulse(cb_body *body, float ix, float iy, float px, float py, int wake);
void cb_body_apply_torque(cb_body *body, float torque, int wake);
void cb_body_set_linear_velocity(cb_body *body, float vx, float vy);

/* out[6] = x, y, angle, vx, vy, angular velocity. */
void cb_body_state(const cb_body *body, float *out);
float cb_body_x(const cb_body *body);
float cb_body_y(const cb_body *body);
float cb_body_angle(const cb_body *body);
int cb_body_awake(const cb_body *body);
int cb_body_touching(const cb_body *body);
int cb_body_began(const cb_body *body);
void cb_body_clear_flags(cb_body *body);

/* Revolute joints (anchors in each body's local frame). */
cb_joint *cb_revolute_joint_create(cb_world *world, cb_body *a, cb_body *b, float anchor_ax, float anchor_ay,
                                   float anchor_bx, float anchor_by, float reference_angle, int enable_motor,
                                   float max_motor_torque, float motor_speed, int enable_limit, float lower_angle,
                                   float upper_angle);
void cb_joint_set_motor_speed(cb_joint *joint, float speed);
/* Sets motor speed and maximum torque and, as Box2D 2.3's setters did, wakes both bodies if
 * asleep (2.4's setters wake them only when the value changes). */
void cb_joint_set_motor(cb_joint *joint, float speed, float max_torque);
/* Box2D 2.3's limit activation, which gymnasium's environments were tuned under: a limit takes
 * part in a step only if the joint starts the step at or past it (2.4 keeps an enabled limit in
 * every step, predicting contact). Call before each world step: it enables the joint's limit when
 * its angle is outside the open range (lower, upper) and disables it otherwise. Changing the
 * state resets the limit's impulses and wakes both bodies, as 2.4's EnableLimit does. */
void cb_joint_activate_limit_as_box2d23(cb_joint *joint);
void cb_joint_set_max_motor_torque(cb_joint *joint, float torque);
float cb_joint_angle(const cb_joint *joint);
float cb_joint_speed(const cb_joint *joint);

#ifdef __cplusplus
}
#endif

#endif

/**
 * The permission doctor and its repair, for the CLI (`pip-mirror doctor` / `repair`) and the app.
 */
export { diagnoseMirror } from './diagnose'
export type { Cause, MirrorDiagnosis, PermissionFinding } from './diagnosis'
export type { HttpProbe } from './http-probe'
export type { NginxProcess, NginxUser } from './nginx-user'
export type { PathWalk, ComponentVerdict, PathComponent } from './path-walk'
export type { TreeScan, WrongKind, TreeEntry } from './tree-scan'
export { applyRepair, planRepair, type ApplyRepairOptions, type RepairResult } from './repair'
export type { RepairAction, RepairMode, RepairPlan } from './repair-plan'

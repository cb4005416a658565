import type { DashboardActionId } from '#shared/ipc/contract'

/** The dashboard's actions as the page names and explains them. */
export const ACTIONS: Record<DashboardActionId, { title: string; what: string; danger?: boolean }> =
  {
    'sync-now': {
      title: 'Sync now',
      what: 'Fetch what the upstream published since the last sync, then prove the mirror serves every pin.',
    },
    'add-packages': {
      title: 'Add packages',
      what: 'Resolve the list again with the new packages (their dependencies come too), sync and verify.',
    },
    'repair-permissions': {
      title: 'Repair permissions',
      what: 'Find what keeps nginx from reading the mirror and make the least change that fixes it.',
    },
    'restart-nginx': {
      title: 'Restart nginx',
      what: 'Check the configuration, restart (or reload) nginx, and prove the mirror answers.',
    },
    'update-bandersnatch': {
      title: 'Update bandersnatch',
      what: 'Install the newest bandersnatch the host’s Python runs, and its config if it changes.',
    },
    'remove-mirror': {
      title: 'Remove the mirror',
      what: 'Delete the mirror directory, its nginx site and its schedule from the host.',
      danger: true,
    },
    'set-schedule': {
      title: 'Schedule syncs',
      what: 'Install or change the periodic sync on the host.',
    },
    'remove-schedule': {
      title: 'Remove the sync schedule',
      what: 'Take the periodic sync off the host.',
    },
    update: {
      title: 'Update pins',
      what: 'Resolve again with newer releases (all, security fixes only, or the projects you name), shown as a pin diff with its advisories; then sync and verify. Replaced releases stay served until you prune them.',
    },
    prune: {
      title: 'Prune releases no longer pinned',
      what: 'Delete the files of releases an update replaced, listed one by one before anything goes; then sync and verify.',
      danger: true,
    },
  }

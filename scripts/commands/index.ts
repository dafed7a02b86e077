import type { Command } from '../args.js';
import { bundleCommand } from './bundle.js';
import { capacityCommand } from './capacity.js';
import { compareCommand } from './compare.js';
import { compareStrategiesCommand } from './compare-strategies.js';
import { gamedayCommand } from './gameday.js';
import { gateCommand } from './gate.js';
import { gatewayCommand } from './gateway.js';
import { k8sCommand } from './k8s.js';
import { mocksCommand } from './mocks.js';
import { relayCommand } from './relay.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';

/** Every `stormlab` command, in the order `stormlab --help` lists them. */
export const COMMANDS: readonly Command[] = [
  runCommand,
  mocksCommand,
  gatewayCommand,
  bundleCommand,
  k8sCommand,
  reportCommand,
  compareCommand,
  compareStrategiesCommand,
  gateCommand,
  gamedayCommand,
  capacityCommand,
  relayCommand,
];

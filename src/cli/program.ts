import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { evaluateCommand, SPLITS, type EvaluateFlags } from './evaluate.js';
import { explainCommand } from './explain.js';
import { exportCommand, type ExportFlags } from './export.js';
import { playgroundCommand, type PlaygroundFlags } from './playground.js';
import { choiceOption, Interrupted, UsageError } from './errors.js';
import { PREDICT_FORMATS, predictCommand, type PredictFlags } from './predict.js';
import { trainCommand } from './train.js';
import { declareTrainFlags, type TrainFlags } from './train-flags.js';

/** `nabla train`: its flags are declared (and read) in train-flags.ts. */
function addTrain(cli: Command): void {
  declareTrainFlags(
    cli
      .command('train')
      .description('train an MLP and save it, its training history and a summary'),
  ).action((flags: TrainFlags, cmd: Command) => {
    // The flags given on the command line (not defaults): with --resume only some may be.
    const explicit = cmd.options
      .filter((o) => cmd.getOptionValueSource(o.attributeName()) === 'cli')
      .map((o) => o.long ?? o.flags);
    trainCommand(flags, console.log, explicit);
  });
}

/** The model directory evaluate and predict read. */
const DIR_HELP =
  'the directory `nabla train` wrote, or one holding the model.json and model.safetensors the playground downloads';

/** Loads a model whose weights hold NaN or ±Infinity (evaluate and predict refuse it otherwise). */
const ALLOW_NON_FINITE = '--allow-non-finite';
const ALLOW_NON_FINITE_HELP = 'load weights that hold NaN or ±Infinity (refused by default)';

function addEvaluate(cli: Command): void {
  cli
    .command('evaluate')
    .description('evaluate a saved model on a split of its data: loss, accuracy, confusion matrix')
    .argument('<dir>', DIR_HELP)
    .option('--data <spec>', 'the data (default: what the model was trained on)')
    .addOption(choiceOption('--split <name>', 'which split', SPLITS).default('test'))
    .option(ALLOW_NON_FINITE, ALLOW_NON_FINITE_HELP)
    .action((dir: string, flags: EvaluateFlags) => {
      evaluateCommand(dir, flags);
    });
}

function addPredict(cli: Command): void {
  cli
    .command('predict')
    .description('predict the class of every row of a CSV or JSON file of input features')
    .argument('<dir>', DIR_HELP)
    .requiredOption(
      '--input <file>',
      'a CSV file (one row of features per line) or a JSON array of rows; for a playground model, points x1,x2 of its plane',
    )
    .addOption(
      choiceOption(
        '--format <form>',
        "csv (the default): a header row, then the row number, the class, its probability and each class's; json: one object per row",
        PREDICT_FORMATS,
      ),
    )
    .option('--json', 'the same as --format json (the older spelling)')
    .option(ALLOW_NON_FINITE, ALLOW_NON_FINITE_HELP)
    .action((dir: string, flags: PredictFlags) => {
      predictCommand(dir, flags);
    });
}

function addExport(cli: Command): void {
  cli
    .command('export')
    .description(
      'write a saved model in another format: ONNX (to serve with ONNX Runtime), or a PyTorch project that trains on as nabla would (to go on with PyTorch on many machines)',
    )
    .argument('<dir>', 'the directory `nabla train` wrote, or one of its checkpoint directories')
    .option('--onnx <file>', 'write an ONNX model (the batch dimension left free)')
    .option(
      '--pytorch <dir>',
      'write model.py, train.py (python train.py, or torchrun --nproc_per_node N train.py), recipe.json, the weights and the data there; from a checkpoint directory it goes on from that step with the optimizer state',
    )
    .option('--opset <n>', 'the ONNX operator set (17 or newer)', '17')
    .action((dir: string, flags: ExportFlags) => {
      exportCommand(dir, flags);
    });
}

function addExplain(cli: Command, argv: readonly string[], pending: Promise<void>[]): void {
  cli
    .command('explain')
    .description(
      'compute a scalar expression, backpropagate, and explain every step; draw its circuit',
    )
    .argument(
      '<expression>',
      'e.g. "(x + y) * z": + - * / ^, parentheses, exp log sqrt tanh sigmoid relu step abs max min',
    )
    .usage(
      '"EXPRESSION" --VARIABLE VALUE ... [--svg FILE] [--png FILE] [--dot FILE] [--mermaid FILE] [--format text|markdown|latex] | --quiz NAME',
    )
    .addHelpText(
      'after',
      '\nEvery variable of the expression gets its value from a flag of its name.\nExample: nabla explain "(x + y) * z" --x -2 --y 5 --z -4 --svg circuit.svg',
    )
    .addHelpText(
      'after',
      'An exercise instead: nabla explain --quiz NAME (add-mul, neuron, staged, net-2-2-1, softmax,\nor random --size N --seed S); answers are read line by line, ? reveals a step.\nThe convolution lesson: nabla explain conv [--input 1,2,…,16] [--kernel 1,2,-1,0] (a 4×4 image,\na 2×2 kernel: the forward pass, and both gradients as correlations, checked against autograd).',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      // The raw arguments after `explain`: commander would read `--x -2` as two options.
      pending.push(explainCommand(argv.slice(argv.indexOf('explain') + 1)));
    });
}

function addPlayground(cli: Command, pending: Promise<void>[]): void {
  cli
    .command('playground')
    .description('build (when needed) and serve the browser playground on a local port')
    .option('--port <n>', 'the port to listen on; 0 = any free port', '5173')
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--no-open', 'do not open a browser')
    .option('--rebuild', 'build the app even when its build is up to date')
    .action((flags: PlaygroundFlags) => {
      pending.push(playgroundCommand(flags));
    });
}

/**
 * The `nabla` command. Every failure is one line on stderr: exit code 2 for a mistake in the
 * command line, 1 for anything else (a missing file, a loss that became NaN, …). Set
 * NABLA_DEBUG=1 to see stack traces.
 */
function program(argv: readonly string[], pending: Promise<void>[]): Command {
  const cli = new Command('nabla')
    .description('Train and use neural networks, with backpropagation you can see.')
    .version(packageVersion(), '-V, --version', 'print the version of nabla')
    .exitOverride()
    .configureOutput({
      // Commander's own errors ("error: unknown option …") become one line in nabla's form.
      writeErr: (s) =>
        process.stderr.write(
          s.startsWith('error: ') ? `nabla: ${s.slice(7).trimEnd()} (see --help)\n` : s,
        ),
    });
  addTrain(cli);
  addEvaluate(cli);
  addPredict(cli);
  addExport(cli);
  addExplain(cli, argv, pending);
  addPlayground(cli, pending);
  return cli;
}

/** The package's version, from its package.json (two folders up from src/cli and dist/cli). */
function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

function oneLine(message: string): string {
  return message.split('\n')[0].replace(/^error: /, '');
}

function fail(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  if (process.env.NABLA_DEBUG) console.error(e);
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`nabla: ${oneLine(message)}\n`);
  return e instanceof UsageError ? 2 : e instanceof Interrupted ? e.exitCode : 1;
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const pending: Promise<void>[] = [];
  try {
    program(argv, pending).parse(argv, { from: 'user' });
    for (const p of pending) await p;
    return 0;
  } catch (e) {
    return fail(e);
  }
}

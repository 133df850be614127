import { Command, CommanderError, Option } from 'commander';
import { evaluateCommand } from './evaluate.js';
import { explainCommand } from './explain.js';
import { playgroundCommand, type PlaygroundFlags } from './playground.js';
import { Interrupted, UsageError } from './errors.js';
import { predictCommand } from './predict.js';
import { trainCommand, type TrainFlags } from './train.js';

/**
 * The `nabla` command. Every failure is one line on stderr: exit code 2 for a mistake in the
 * command line, 1 for anything else (a missing file, a loss that became NaN, …). Set
 * NABLA_DEBUG=1 to see stack traces.
 */
function program(argv: readonly string[], pending: Promise<void>[]): Command {
  const cli = new Command('nabla')
    .description('Train and use neural networks, with backpropagation you can see.')
    .exitOverride()
    .configureOutput({
      // Commander's own errors ("error: unknown option …") become one line in nabla's form.
      writeErr: (s) =>
        process.stderr.write(
          s.startsWith('error: ') ? `nabla: ${s.slice(7).trimEnd()} (see --help)\n` : s,
        ),
    });

  cli
    .command('train')
    .description('train an MLP and save it, its training history and a summary')
    .option(
      '--data <spec>',
      'mnist | spiral | circles | xor | gaussians | moons | csv:PATH | idx:DIR | cifar10:DIR',
      'mnist',
    )
    .option(
      '--hidden <sizes>',
      'hidden layer sizes, comma separated (default: 256 for mnist, 16,16 for toy data, else 128)',
    )
    .option(
      '--activation <name>',
      'relu | tanh | sigmoid | step | leakyRelu | gelu (default: tanh for toy data, else relu)',
    )
    .option(
      '--loss <name>',
      'crossEntropy | mse (squared error on the softmax and one-hot labels)',
      'crossEntropy',
    )
    .option(
      '--optimizer <name>',
      'sgd | momentum | nesterov | adagrad | rmsprop | adam | adamw',
      'adam',
    )
    .option(
      '--lr <rate>',
      'learning rate (default: 0.001 for adam, rmsprop; 0.01 adagrad; 0.05 momentum; 0.1 sgd)',
    )
    .option('--momentum <beta>', 'momentum for sgd, momentum, nesterov and rmsprop')
    .option(
      '--batch-size <n>',
      'examples per step: 1 = stochastic, full = full-batch gradient descent',
      '64',
    )
    .option('--epochs <n>', 'epochs at most (default: 30; 300 for toy data)')
    .option('--seed <n>', 'random seed: the same seed gives the same run', '0')
    .option('--dropout <p>', 'dropout after each hidden layer (default: 0.2 for mnist, else 0)')
    .option('--weight-decay <lambda>', 'L2 as weight decay in the optimizer', '0')
    .option('--l2 <lambda>', 'L2 as an explicit penalty λ/2·Σw² in the loss', '0')
    .option('--jitter <sigma>', 'Gaussian noise of this σ added to the inputs at each step', '0')
    .option(
      '--early-stopping <patience>',
      'stop after this many epochs without a better validation loss, keeping the best weights; 0 = off (default: 5 for mnist, else 0)',
    )
    .option(
      '--restarts <n>',
      'random restarts: train n times from different seeds and keep the best by validation loss',
      '1',
    )
    .option('--samples <n>', 'points of a toy data set (default 600)')
    .option('--noise <sigma>', 'noise of a toy data set')
    .option('--classes <n>', 'classes of spiral and gaussians')
    .option('--validation <fraction>', 'fraction held out for validation', '0.15')
    .option('--test <fraction>', 'fraction held out for testing (toy and CSV data)', '0.15')
    .option(
      '--out <dir>',
      'where to write the model, history.csv and summary.json (default: runs/<data>)',
    )
    .option('--no-progress', 'no progress bar')
    .option(
      '--checkpoint-dir <dir>',
      'save checkpoints there (default with --checkpoint-every: <out>/checkpoints)',
    )
    .option('--checkpoint-every <steps>', 'save a checkpoint every this many steps (default 100)')
    .option(
      '--resume <dir>',
      'go on with the run whose checkpoints are in <dir>, exactly where it stopped (its flags come from the checkpoint)',
    )
    .option(
      '--plots',
      'also write loss, accuracy and gradient-norm charts (and the decision boundary for 2-D data), SVG and PNG',
    )
    .action((flags: TrainFlags) => {
      trainCommand(flags);
    });

  cli
    .command('evaluate')
    .description('evaluate a saved model on a split of its data: loss, accuracy, confusion matrix')
    .argument('<dir>', 'the directory `nabla train` wrote')
    .option('--data <spec>', 'the data (default: what the model was trained on)')
    .addOption(
      new Option('--split <name>', 'which split')
        .choices(['train', 'validation', 'test'])
        .default('test'),
    )
    .action((dir: string, flags: { data?: string; split: string }) => {
      evaluateCommand(dir, flags);
    });

  cli
    .command('predict')
    .description('predict the class of every row of a CSV or JSON file of input features')
    .argument('<dir>', 'the directory `nabla train` wrote')
    .requiredOption(
      '--input <file>',
      'a CSV file (one row of features per line) or a JSON array of rows',
    )
    .option('--json', 'print one JSON object per row', false)
    .action((dir: string, flags: { input: string; json: boolean }) => {
      predictCommand(dir, flags);
    });
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
      '"EXPRESSION" --VARIABLE VALUE ... [--svg FILE] [--png FILE] [--dot FILE] [--format text|markdown|latex]',
    )
    .addHelpText(
      'after',
      '\nEvery variable of the expression gets its value from a flag of its name.\nExample: nabla explain "(x + y) * z" --x -2 --y 5 --z -4 --svg circuit.svg',
    )
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      // The raw arguments after `explain`: commander would read `--x -2` as two options.
      pending.push(explainCommand(argv.slice(argv.indexOf('explain') + 1)));
    });
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
  return cli;
}

function oneLine(message: string): string {
  return message.split('\n')[0].replace(/^error: /, '');
}

function fail(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  if (process.env.NABLA_DEBUG) console.error(e);
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`nabla: ${oneLine(message)}\n`);
  return e instanceof UsageError ? 2 : e instanceof Interrupted ? 130 : 1;
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

using System.CommandLine;
using SbiSharp.Estimators;
using SbiSharp.IO;
using SbiSharp.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace SbiSharp.Cli.Commands;

/// <summary>`sbisharp distill`: a trained diffusion or flow-matching model → a consistency model that samples in a few network calls.</summary>
internal static class DistillCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var model = new Option<string>("--model") { Description = "The teacher: a trained diffusion or flow-matching model file", Required = true };
        var task = new Option<string?>("--task") { Description = $"Built-in task to simulate the distillation data from: {string.Join(" | ", SbiSharp.Tasks.BuiltInTasks.Names)}" };
        var thetaFile = new Option<string?>("--theta") { Description = "CSV of parameters (e.g. the teacher's training data); use with --x" };
        var xFile = new Option<string?>("--x") { Description = "CSV of observations matching --theta row by row" };
        var simulations = new Option<int>("--simulations") { Description = "Simulations for --task", DefaultValueFactory = _ => TrainCommand.DefaultSimulations };
        var output = new Option<string>("--out") { Description = "Student model file to write", DefaultValueFactory = _ => "student.sbis" };
        var intervals = new Option<int>("--intervals") { Description = "Intervals of the noise-level grid the teacher steps on", DefaultValueFactory = _ => new ConsistencyDistillationSpec().Intervals };
        var steps = new Option<int>("--sampling-steps") { Description = "Consistency steps of the student's default sampler", DefaultValueFactory = _ => new ConsistencyDistillationSpec().SamplingSteps };
        var training = new TrainingCliOptions();
        var command = new Command("distill", "Distill a trained diffusion model into a consistency model (one to a few network evaluations per draw).");
        foreach (var o in new Option[] { model, task, thetaFile, xFile, simulations, output, intervals, steps }) command.Options.Add(o);
        training.AddTo(command);
        command.SetAction(result => CliErrors.Run(result.GetValue(verbose), () =>
        {
            var options = training.Read(result);
            var path = AtomicFile.CheckWritable(result.GetValue(output)!, "--out");
            var teacherPath = result.GetValue(model)!;
            // Options are answered before any file is read.
            var spec = new ConsistencyDistillationSpec { Intervals = result.GetValue(intervals), SamplingSteps = result.GetValue(steps), TeacherDescription = Path.GetFileName(teacherPath) }.Validate();
            if (PosteriorEnsemble.IsEnsembleFile(teacherPath))
                throw new ArgumentException($"--model '{teacherPath}' is an ensemble; distill one model (its members are separate teachers).");
            using var teacher = DiffusionPosteriorEstimator.Load(teacherPath);
            using var generator = new Generator((ulong)options.Seed);
            var (data, _, _) = TrainCommand.LoadData(result.GetValue(task), result.GetValue(thetaFile), result.GetValue(xFile), result.GetValue(simulations), false, false, generator);
            using var owned = data as IDisposable;
            if (data.ParameterDimension != teacher.ParameterDimension || data.ObservationDimension != teacher.ObservationDimension)
                throw new ArgumentException($"The data have Dθ = {data.ParameterDimension}, Dx = {data.ObservationDimension}; the teacher '{teacherPath}' has Dθ = {teacher.ParameterDimension}, Dx = {teacher.ObservationDimension}.");
            using var interruption = new Interruption();
            var total = (double)(options.MaxSteps ?? ((ConsistencyDistillationSpec)spec).TrainingSteps);
            var (student, trained) = ConsoleProgress.Run("Distilling", total, update => ConsistencyDistillation.Distill(teacher, data, (ConsistencyDistillationSpec)spec, options, teacherPath,
                new SynchronousProgress<TrainingProgress>(p => update(p.Step, $"loss {p.Loss:F3} {p.StepsPerSecond:F0} steps/s")), StderrLogger.Instance, interruption.Token));
            using var studentOwner = student;
            student.Save(path);
            if (interruption.Signal is not null)
            {
                Console.Error.WriteLine($"interrupted: wrote the student as trained so far to '{path}'.");
                return interruption.ExitCode;
            }
            AnsiConsole.MarkupLine($"distilled '{Markup.Escape(teacherPath)}': {trained.Steps} steps in {trained.Seconds:F1} s; the student samples with {Markup.Escape(student.DefaultSampler.Name)} by default; wrote [blue]{Markup.Escape(path)}[/]");
            return 0;
        }));
        return command;
    }
}

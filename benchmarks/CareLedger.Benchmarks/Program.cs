using BenchmarkDotNet.Running;
using CareLedger.Benchmarks;

if (args is ["decision-percentiles"])
{
    DecisionBenchmarks.PrintPercentiles();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

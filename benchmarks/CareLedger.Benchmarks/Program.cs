using BenchmarkDotNet.Running;
using CareLedger.Benchmarks;

if (args is ["decision-percentiles"])
{
    DecisionBenchmarks.PrintPercentiles();
    return;
}
if (args is ["supply-percentiles"])
{
    SupplyChainPercentiles.Run();
    return;
}
if (args is ["receipt-percentiles"])
{
    ReceiptPercentiles.Run();
    return;
}
if (args is ["insurance"])
{
    InsuranceThroughput.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

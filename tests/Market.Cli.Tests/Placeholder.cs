namespace Market.Cli.Tests;

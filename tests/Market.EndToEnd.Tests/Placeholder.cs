namespace Market.EndToEnd.Tests;

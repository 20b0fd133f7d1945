process.stdout.write("nnet: commands are not built yet\n");

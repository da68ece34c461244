/**
 * `KfpPipeline` as a construct in a cdk8s app: typed objects, judged at synth like every other
 * construct of the project.
 */
import { Testing } from 'cdk8s';
import { KfpPipeline, readKfpIr } from '../src/kfp';

const IR = `
components:
  comp-say:
    executorLabel: exec-say
    inputDefinitions:
      parameters:
        text:
          parameterType: STRING
    outputDefinitions:
      parameters:
        Output:
          parameterType: STRING
  comp-exit-handler-1:
    dag:
      tasks:
        say:
          componentRef:
            name: comp-say
          inputs:
            parameters:
              text:
                componentInputParameter: pipelinechannel--text
          taskInfo:
            name: say
    inputDefinitions:
      parameters:
        pipelinechannel--text:
          parameterType: STRING
  comp-report:
    executorLabel: exec-report
    inputDefinitions:
      parameters:
        status:
          isOptional: true
          parameterType: TASK_FINAL_STATUS
deploymentSpec:
  executors:
    exec-say:
      container:
        image: busybox
        command: [sh, -c, 'echo "$0" > "$1"', "{{$.inputs.parameters['text']}}", "{{$.outputs.parameters['Output'].output_file}}"]
    exec-report:
      container:
        image: busybox
        command: [echo, done]
pipelineInfo:
  name: exit-demo
root:
  dag:
    tasks:
      exit-handler-1:
        componentRef:
          name: comp-exit-handler-1
        inputs:
          parameters:
            pipelinechannel--text:
              componentInputParameter: text
        taskInfo:
          name: exit-handler-1
      report:
        componentRef:
          name: comp-report
        dependentTasks:
        - exit-handler-1
        inputs:
          parameters:
            status:
              taskFinalStatus:
                producerTask: exit-handler-1
        taskInfo:
          name: report
        triggerPolicy:
          strategy: ALL_UPSTREAM_TASKS_COMPLETED
  inputDefinitions:
    parameters:
      text:
        defaultValue: hi
        isOptional: true
        parameterType: STRING
schemaVersion: 2.1.0
sdkVersion: kfp-2.14.3
`;

describe('KfpPipeline', () => {
  test('synthesizes Tasks and a Pipeline in a cdk8s chart: the exit handler as finally reading $(tasks.status)', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const kfp = new KfpPipeline(chart, 'demo', { ir: readKfpIr(IR) });
    const objects = Testing.synth(chart);
    // THEN
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Pipeline/exit-demo',
      'Task/exit-demo-exit-handler-1-say',
      'Task/exit-demo-report',
    ]);
    const pipeline = objects.find((o) => o.kind === 'Pipeline');
    expect(pipeline.spec.tasks.map((t: any) => t.name)).toEqual(['exit-handler-1-say']);
    expect(pipeline.spec.finally).toEqual([
      expect.objectContaining({ name: 'report', params: expect.arrayContaining([{ name: 'status', value: '$(tasks.status)' }]) }),
    ]);
    expect(kfp.pipelineTasks.get('report')?.isFinally).toBe(true);
  });

  test('a condition on an input becomes when; a close IR without one has none', () => {
    const guarded = IR.replace(
      '        taskInfo:\n          name: exit-handler-1\n',
      "        taskInfo:\n          name: exit-handler-1\n        triggerPolicy:\n          condition: inputs.parameter_values['pipelinechannel--text'] == 'hi'\n",
    );
    const when = (text: string) => {
      const chart = Testing.chart();
      new KfpPipeline(chart, 'demo', { ir: readKfpIr(text) });
      return Testing.synth(chart).find((o) => o.kind === 'Pipeline').spec.tasks[0].when;
    };
    expect(when(guarded)).toEqual([{ input: '$(params.text)', operator: 'in', values: ['hi'] }]);
    expect(when(IR)).toBeUndefined();
  });

  test('ignore_upstream_failure (the same strategy without an exit handler) is refused in one line', () => {
    const chart = Testing.chart();
    const text = IR.replace(
      '        dependentTasks:\n        - exit-handler-1\n        inputs:\n          parameters:\n            status:\n              taskFinalStatus:\n                producerTask: exit-handler-1\n',
      '',
    );
    expect(() => new KfpPipeline(chart, 'demo', { ir: readKfpIr(text) })).toThrow(
      'task report: ignore_upstream_failure (ALL_UPSTREAM_TASKS_COMPLETED without an exit handler) is not supported',
    );
  });
});
